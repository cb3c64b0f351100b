package dev.paper2code.contracts;

/**
 * A cleaned training example: the text of one paper and of one repository that implements it.
 *
 * @param pairId     stable id, {@code <paperId>::<repository lower-cased>}; the record key
 * @param paperId    arXiv id without version suffix (or the paper URL when there is none); all pairs of
 *                   one paper share it, which is what keeps a paper on one side of the train/val split
 * @param repository {@code owner/repo}
 * @param paperText  title (when it is a real title) and abstract
 * @param codeText   repository name, description and topics
 * @param source     where the entry came from: {@code file:<name>#<index>} or {@code <topic>-<partition>@<offset>}
 * @param repositoryUrl         the repository's URL as the entry gave it; null when it gave none (and in
 *                              records written before this field existed)
 * @param repositoryDescription the repository's cleaned description, shown by search; null when none
 */
public record TextPair(
        String pairId,
        String paperId,
        String repository,
        String paperText,
        String codeText,
        String source,
        String repositoryUrl,
        String repositoryDescription) {

    /** A pair without the repository's URL and description (what search shows, not what training reads). */
    public TextPair(String pairId, String paperId, String repository, String paperText, String codeText, String source) {
        this(pairId, paperId, repository, paperText, codeText, source, null, null);
    }
}
