package dev.paper2code.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One element of a {@code paper_code_pairs.json} file, and the value format of the raw-entries topic:
 * a paper and the repositories that implement it. Unknown fields are ignored so that richer exports
 * still parse.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaperEntry(Paper paper, List<Repository> repositories) {
}
