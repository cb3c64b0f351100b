package dev.paper2code.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** A code repository linked from a paper; {@code name} is {@code owner/repo} as on the hosting site. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Repository(
        String name,
        String description,
        String url,
        @JsonDeserialize(using = LenientInteger.class) Integer stars,
        String language,
        List<String> topics) {
}
