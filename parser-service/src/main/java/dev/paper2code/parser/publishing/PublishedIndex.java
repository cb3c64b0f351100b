package dev.paper2code.parser.publishing;

import dev.paper2code.contracts.Fingerprints;
import dev.paper2code.contracts.TextPair;
import java.util.HashMap;
import java.util.Map;

/**
 * What the parser has already published: record key to a fingerprint of the content. A pair (or a dead
 * letter) is sent again only when its key is new or its content changed, so re-reading a file or a
 * republished entry emits nothing twice. Entries made inside a transaction stay pending until it
 * commits, so an aborted transaction leaves the index as it was.
 *
 * <p>Not thread-safe: one parser worker owns it.
 */
public final class PublishedIndex {
    private final Map<String, Long> committed = new HashMap<>();
    private final Map<String, Long> pending = new HashMap<>();

    /** True if {@code key} was not published with this fingerprint; then it is marked as pending. */
    public boolean claim(String key, long fingerprint) {
        Long known = pending.containsKey(key) ? pending.get(key) : committed.get(key);
        if (known != null && known == fingerprint) {
            return false;
        }
        pending.put(key, fingerprint);
        return true;
    }

    /** Records an entry read back from the topics at start. */
    public void remember(String key, long fingerprint) {
        committed.put(key, fingerprint);
    }

    /** A pair deleted (a tombstone of its key): publishing it again is a new publication. */
    public void forget(String key) {
        committed.remove(key);
        pending.remove(key);
    }

    public void commit() {
        committed.putAll(pending);
        pending.clear();
    }

    public void abort() {
        pending.clear();
    }

    public int size() {
        return committed.size();
    }

    /**
     * The parts of a pair that make it a different training example or search result (its texts, the
     * repository's URL and description); not where it came from.
     */
    public static long fingerprint(TextPair pair) {
        return Fingerprints.of(pair.paperId(), pair.repository(), pair.paperText(), pair.codeText(),
                pair.repositoryUrl(), pair.repositoryDescription());
    }
}
