package dev.paper2code.training.data;

import dev.paper2code.contracts.TokenizedPair;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A split held in memory, in list order: a later entry with the same pair id is a newer version of that
 * pair, as a republished record is on a topic. The training loop runs on it exactly as on a topic, so
 * the loop's tests need no broker.
 */
public final class InMemoryPairs implements PairSource {
    private final String name;
    private final List<TokenizedPair> pairs;
    private final PairChecks checks = new PairChecks();
    /** After {@link #keepLatestVersions}: for each pair id listed more than once, the index of its newest version. */
    private volatile Map<String, Integer> newestOfRepublished;

    public InMemoryPairs(String name, List<TokenizedPair> pairs) {
        this.name = name;
        this.pairs = List.copyOf(pairs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void validateWith(PairValidator validator, SkippedRecords skipped) {
        checks.set(validator, skipped);
    }

    @Override
    public synchronized long keepLatestVersions() {
        Map<String, Integer> newest = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            newest.put(pairs.get(i).pairId(), i);
            seen.merge(pairs.get(i).pairId(), 1, Integer::sum);
        }
        newest.keySet().retainAll(seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
        newestOfRepublished = Map.copyOf(newest);
        return seen.values().stream().mapToLong(count -> count - 1).sum();
    }

    @Override
    public Pass open(BooleanSupplier stop) {
        return new SkippingPass() {
            private final Iterator<TokenizedPair> all = pairs.iterator();
            private int index = -1;

            @Override
            protected boolean moreRecords() {
                return !stop.getAsBoolean() && all.hasNext();
            }

            @Override
            protected TokenizedPair read() {
                return accept(all.next(), ++index);
            }

            @Override
            public void close() {
            }
        };
    }

    private TokenizedPair accept(TokenizedPair pair, int index) {
        Map<String, Integer> newest = newestOfRepublished;
        if (newest != null && newest.getOrDefault(pair.pairId(), index) > index) {
            return null; // an older version of a pair listed again later
        }
        return checks.accept(pair, null, name + "[" + index + "]");
    }
}
