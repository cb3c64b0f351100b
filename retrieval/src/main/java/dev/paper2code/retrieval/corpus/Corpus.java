package dev.paper2code.retrieval.corpus;

import dev.paper2code.contracts.TextPair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The search corpus as the pairs topic says it is now: every distinct repository and every paper with
 * its repositories. The topic is compacted and keyed by pair id, so a pair replaces its older version
 * and a tombstone (null value) removes it; a repository stays while at least one pair links it.
 *
 * <p>Which pair speaks for a repository (its URL, description and code text), when several link it: the
 * pairs whose URL is the repository's own address (its path is {@code /<owner>/<repo>}, the name, on any
 * host; {@link #urlMatchesName}) come first, then the pairs without a URL, and a pair whose URL points
 * elsewhere only when no other pair links the repository; within each group the smallest pair id, so the
 * corpus does not depend on arrival order. So an unrelated entry that links {@code princeton-nlp/SimCSE}
 * with another URL cannot make search show that URL; and a URL that does not match the name is never
 * shown at all (search answers it as null). What this cannot stop, a producer that names the right URL
 * with a false description and a smaller pair id, is what the topic ACLs are for (docs/deploy.md: only
 * trusted producers write raw entries).
 *
 * <p>Thread-safe: a follower thread applies records while request threads read.
 */
public final class Corpus {
    private final Map<String, TextPair> pairs = new HashMap<>();
    private final Map<String, TreeMap<String, TextPair>> byRepository = new TreeMap<>();
    private final Map<String, TreeMap<String, TextPair>> byPaper = new TreeMap<>();

    /** What one record changed for an index: repositories to (re-)embed, repositories gone. */
    public record Change(List<CodeDocument> upserted, List<String> removedKeys) {
        public boolean isEmpty() {
            return upserted.isEmpty() && removedKeys.isEmpty();
        }
    }

    public static Corpus of(Collection<TextPair> pairs) {
        Corpus corpus = new Corpus();
        pairs.forEach(pair -> corpus.apply(pair.pairId(), pair));
        return corpus;
    }

    /** Applies one record of the pairs topic: {@code pair} null is a tombstone for {@code pairId}. */
    public synchronized Change apply(String pairId, TextPair pair) {
        TextPair previous = pairs.get(pairId);
        Set<String> touched = new LinkedHashSet<>();
        if (previous != null) {
            touched.add(key(previous));
        }
        if (pair != null) {
            touched.add(key(pair));
        }
        Map<String, CodeDocument> before = new HashMap<>();
        touched.forEach(key -> before.put(key, repository(key).orElse(null)));
        if (previous != null) {
            remove(byRepository, key(previous), pairId);
            remove(byPaper, previous.paperId(), pairId);
            pairs.remove(pairId);
        }
        if (pair != null) {
            pairs.put(pairId, pair);
            byRepository.computeIfAbsent(key(pair), k -> new TreeMap<>()).put(pairId, pair);
            byPaper.computeIfAbsent(pair.paperId(), k -> new TreeMap<>()).put(pairId, pair);
        }
        List<CodeDocument> upserted = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String key : touched) {
            CodeDocument after = repository(key).orElse(null);
            if (after == null && before.get(key) != null) {
                removed.add(key);
            } else if (after != null && !Objects.equals(after, before.get(key))) {
                upserted.add(after);
            }
        }
        return new Change(List.copyOf(upserted), List.copyOf(removed));
    }

    private static void remove(Map<String, TreeMap<String, TextPair>> index, String key, String pairId) {
        TreeMap<String, TextPair> entries = index.get(key);
        entries.remove(pairId);
        if (entries.isEmpty()) {
            index.remove(key);
        }
    }

    /** Every repository once, ordered by key. */
    public synchronized List<CodeDocument> repositories() {
        return byRepository.values().stream().map(entries -> document(speaker(entries))).toList();
    }

    public synchronized Optional<CodeDocument> repository(String key) {
        TreeMap<String, TextPair> entries = byRepository.get(key);
        return entries == null ? Optional.empty() : Optional.of(document(speaker(entries)));
    }

    /** The pair whose texts stand for the repository (see the class comment): matching URL, none, another. */
    private static TextPair speaker(TreeMap<String, TextPair> entries) {
        TextPair withoutUrl = null;
        TextPair elsewhere = null;
        for (TextPair pair : entries.values()) { // in pair id order
            if (pair.repositoryUrl() == null) {
                withoutUrl = withoutUrl == null ? pair : withoutUrl;
            } else if (urlMatchesName(pair.repositoryUrl(), pair.repository())) {
                return pair;
            } else {
                elsewhere = elsewhere == null ? pair : elsewhere;
            }
        }
        return withoutUrl != null ? withoutUrl : elsewhere;
    }

    /**
     * Whether {@code url}'s path is the repository name ({@code https://github.com/princeton-nlp/SimCSE}
     * for {@code princeton-nlp/SimCSE}), case-insensitively, a trailing {@code /} or {@code .git} allowed.
     */
    static boolean urlMatchesName(String url, String name) {
        try {
            String path = new java.net.URI(url).getPath();
            if (path == null) {
                return false;
            }
            String trimmed = path.replaceAll("(\\.git)?/*$", "");
            return trimmed.equalsIgnoreCase("/" + name);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The paper with this id and every repository its pairs link. */
    public synchronized Optional<CorpusPaper> paper(String paperId) {
        TreeMap<String, TextPair> entries = byPaper.get(paperId);
        return entries == null ? Optional.empty() : Optional.of(paper(paperId, entries));
    }

    /** Every paper, ordered by id. */
    public synchronized List<CorpusPaper> papers() {
        return byPaper.entrySet().stream().map(e -> paper(e.getKey(), e.getValue())).toList();
    }

    public synchronized int pairCount() {
        return pairs.size();
    }

    public synchronized int paperCount() {
        return byPaper.size();
    }

    public synchronized int repositoryCount() {
        return byRepository.size();
    }

    /** The key of a repository name: hosting sites (and pair ids) treat names case-insensitively. */
    public static String key(String repositoryName) {
        return repositoryName.toLowerCase(Locale.ROOT);
    }

    private static String key(TextPair pair) {
        return key(pair.repository());
    }

    private static CorpusPaper paper(String paperId, TreeMap<String, TextPair> entries) {
        Set<String> keys = new LinkedHashSet<>();
        entries.values().forEach(p -> keys.add(key(p)));
        return new CorpusPaper(paperId, entries.firstEntry().getValue().paperText(), Set.copyOf(keys));
    }

    /** The repository as its speaking pair says it; a URL that is not the repository's own address is not shown. */
    private static CodeDocument document(TextPair pair) {
        String url = pair.repositoryUrl() != null && urlMatchesName(pair.repositoryUrl(), pair.repository())
                ? pair.repositoryUrl() : null;
        return new CodeDocument(key(pair), pair.repository(), url, pair.repositoryDescription(), pair.codeText());
    }
}
