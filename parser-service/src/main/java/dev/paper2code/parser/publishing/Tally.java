package dev.paper2code.parser.publishing;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Counts of what became of the entries of one file, or of the raw topic so far. */
public final class Tally {
    private long entries;
    private long links;
    private long junkTitles;
    private long pairsCreated;
    private long alreadyPublished;
    private final Map<String, Long> deadLetters = new TreeMap<>();

    void entry(int linkCount, boolean junkTitle) {
        entries++;
        links += linkCount;
        if (junkTitle) {
            junkTitles++;
        }
    }

    void createPair() {
        pairsCreated++;
    }

    void skipAlreadyPublished() {
        alreadyPublished++;
    }

    void deadLetter(String reason) {
        deadLetters.merge(reason, 1L, Long::sum);
    }

    public void add(Tally other) {
        entries += other.entries;
        links += other.links;
        junkTitles += other.junkTitles;
        pairsCreated += other.pairsCreated;
        alreadyPublished += other.alreadyPublished;
        other.deadLetters.forEach((reason, count) -> deadLetters.merge(reason, count, Long::sum));
    }

    public long entries() {
        return entries;
    }

    public long pairsCreated() {
        return pairsCreated;
    }

    public long alreadyPublished() {
        return alreadyPublished;
    }

    public long deadLettered() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> deadLettersByReason() {
        return Map.copyOf(deadLetters);
    }

    /** The multi-line summary printed after a file import. */
    public String summary(String what) {
        return String.format("""
                Loaded %d entries with %d repository links from %s
                  pairs created:      %d
                  already published:  %d (skipped)
                  dead-lettered:      %d%s
                  junk titles:        %d (left out of the paper text)""",
                entries, links, what, pairsCreated, alreadyPublished, deadLettered(), reasons(), junkTitles);
    }

    /** One line, for progress logs. */
    public String oneLine() {
        return String.format("%d entries -> %d pairs created, %d already published, %d dead-lettered%s",
                entries, pairsCreated, alreadyPublished, deadLettered(), reasons());
    }

    private String reasons() {
        return deadLetters.isEmpty() ? "" : deadLetters.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }
}
