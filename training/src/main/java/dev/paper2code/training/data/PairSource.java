package dev.paper2code.training.data;

import dev.paper2code.contracts.TokenizedPair;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/**
 * Where one split's tokenized pairs come from: passes that yield the same pairs in the same order every
 * time, which is what makes a seeded shuffle, and so an exact resume, possible. The training loop only
 * ever sees this; {@link TopicPass} reads a Kafka topic, {@link InMemoryPairs} a list (tests, benchmarks,
 * anything that has its pairs at hand).
 *
 * <p>A run settles its sources before its first step: {@link #validateWith} once, then one whole pass
 * that counts the data, then {@link #keepLatestVersions}. Every later pass reads exactly what that pass
 * read, valid records only, each pair in its newest version.
 */
public interface PairSource {
    /** What the pairs are, for messages (the topic's name). */
    String name();

    /** A pass from the start, which ends early once {@code stop} says so. */
    Pass open(BooleanSupplier stop);

    /** From now on, records {@code validator} finds a problem with are left out and counted in {@code skipped}. */
    void validateWith(PairValidator validator, SkippedRecords skipped);

    /**
     * Call after one whole pass: from now on a pair id seen more than once is read in its newest version
     * only, and passes end where that one did. Returns how many older versions that pass read.
     */
    long keepLatestVersions();

    /** Records of the current pass not read yet (the trainer's consumer lag); 0 when nothing is waiting. */
    default long remaining() {
        return 0;
    }

    /** One pass over the pairs; closing it releases what it holds (a consumer). */
    interface Pass extends Iterator<TokenizedPair>, AutoCloseable {
        @Override
        void close();
    }

    /** A pass over records of which some are left out (older versions, invalid ones): {@link #read} says which. */
    abstract class SkippingPass implements Pass {
        private TokenizedPair next;

        /** Whether records are left to read (and the pass was not stopped). */
        protected abstract boolean moreRecords();

        /** The next record as a pair to train on, or null when it is left out. */
        protected abstract TokenizedPair read();

        @Override
        public final boolean hasNext() {
            while (next == null && moreRecords()) {
                next = read();
            }
            return next != null;
        }

        @Override
        public final TokenizedPair next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            TokenizedPair pair = next;
            next = null;
            return pair;
        }
    }
}
