package dev.paper2code.training.data;

import dev.paper2code.contracts.TokenizedPair;
import org.jboss.logging.Logger;

/**
 * What a {@link PairSource} does with each record once the run set its validator
 * ({@link PairSource#validateWith}): a record with a problem is left out and counted by reason, named
 * by where it was found; the same for every source.
 */
final class PairChecks {
    private static final Logger LOG = Logger.getLogger(PairChecks.class);

    private volatile PairValidator validator;
    private volatile SkippedRecords skipped;

    void set(PairValidator validator, SkippedRecords skipped) {
        this.validator = validator;
        this.skipped = skipped;
    }

    /**
     * {@code pair}, or null when it is left out: for {@code problem}, found already by the source (an
     * unreadable record), or for the validator's.
     */
    TokenizedPair accept(TokenizedPair pair, String problem, String where) {
        PairValidator checks = validator;
        if (problem == null && checks != null) {
            problem = checks.problem(pair).orElse(null);
        }
        if (problem == null) {
            return pair;
        }
        SkippedRecords sink = skipped;
        if (sink != null) {
            sink.add(where, problem);
        } else {
            LOG.warnf("Skipping %s: %s", where, problem);
        }
        return null;
    }
}
