package dev.paper2code.training.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The records of a run's topics that cannot be trained on, each counted and logged once (with its
 * topic-partition@offset and why) however many passes read it again.
 */
public final class SkippedRecords {
    private static final Logger LOG = Logger.getLogger(SkippedRecords.class);
    private static final int EXAMPLES = 5;

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> byReason = new TreeMap<>();
    private final List<String> examples = new java.util.ArrayList<>();

    /** @param where {@code topic-partition@offset} */
    public synchronized void add(String where, String problem) {
        if (!seen.add(where)) {
            return;
        }
        byReason.merge(PairValidator.reason(problem), 1L, Long::sum);
        if (examples.size() < EXAMPLES) {
            examples.add(where + " " + problem);
        }
        LOG.warnf("Skipping %s: %s", where, problem);
    }

    public long count() {
        return seen.size();
    }

    public synchronized Map<String, Long> byReason() {
        return new LinkedHashMap<>(byReason);
    }

    /** The first few, for an event or an error message. */
    public synchronized String examples() {
        return String.join("; ", examples) + (count() > examples.size() ? "; …" : "");
    }
}
