package dev.paper2code.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The paper side of a {@link PaperEntry}; every field may be absent or null in real data. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Paper(
        @JsonProperty("arxiv_id") String arxivId,
        String title,
        @JsonProperty("abstract") String abstractText,
        @JsonDeserialize(using = LenientInteger.class) Integer year,
        String category,
        String url) {
}
