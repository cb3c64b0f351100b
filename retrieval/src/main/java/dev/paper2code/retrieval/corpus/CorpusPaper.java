package dev.paper2code.retrieval.corpus;

import java.util.Set;

/**
 * A paper of the corpus: the text its pairs carry and the repositories (by {@link CodeDocument#key()})
 * that implement it, which are the relevant answers when the paper is the query.
 */
public record CorpusPaper(String paperId, String text, Set<String> repositoryKeys) {
}
