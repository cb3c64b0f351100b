package dev.paper2code.search.index;

import dev.paper2code.contracts.Directories;
import dev.paper2code.retrieval.ServingIndex;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The serving index behind a reference count, as Lucene's {@code ReferenceManager}: a query acquires
 * the current generation and releases it; {@link #swap} puts a new one in place and retires the old,
 * which is closed, and its directory deleted, when its last query releases it. A query therefore sees
 * the old index or the new one, never half of one, and never a closed one.
 */
final class IndexReference {
    private static final Logger LOG = Logger.getLogger(IndexReference.class);

    private final AtomicReference<Generation> current = new AtomicReference<>();

    /** A serving index, when it was built and how long that took, and the queries that use it. */
    static final class Generation {
        final ServingIndex index;
        final Instant builtAt = Instant.now();
        /** Model load, embedding and index. */
        final double buildSeconds;
        /** From the promotion event (or the start's request) to serving, queue included. */
        final double secondsFromRequest;
        private int users;
        private boolean retired;

        Generation(ServingIndex index, double buildSeconds, double secondsFromRequest) {
            this.index = index;
            this.buildSeconds = buildSeconds;
            this.secondsFromRequest = secondsFromRequest;
        }

        synchronized boolean acquire() {
            if (retired) {
                return false;
            }
            users++;
            return true;
        }

        synchronized void release() {
            users--;
            closeIfDone();
        }

        synchronized void retire() {
            retired = true;
            closeIfDone();
        }

        private void closeIfDone() {
            if (retired && users == 0) {
                try {
                    index.close();
                    Directories.deleteRecursively(index.directory());
                } catch (IOException e) {
                    LOG.warnf("Could not remove the old index %s: %s", index.directory(), e.getMessage());
                }
            }
        }
    }

    /** What a query does with the index it acquired. */
    interface Use<T> {
        T apply(Generation generation) throws IOException;
    }

    /** Runs {@code use} on the current generation, held for the call; empty when nothing serves yet. */
    <T> Optional<T> withCurrent(Use<T> use) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Generation generation = current.get();
            if (generation == null) {
                return Optional.empty();
            }
            if (generation.acquire()) {
                try {
                    return Optional.of(use.apply(generation));
                } finally {
                    generation.release();
                }
            }
            // Retired between get() and acquire(): the next one is already in place.
        }
        throw new IllegalStateException("the index is being switched; try again");
    }

    /** The current generation, for status (not held: read only what a retired one still has). */
    Generation peek() {
        return current.get();
    }

    /** Puts {@code next} in place (null: nothing serves) and retires the one it replaces. */
    void swap(Generation next) {
        Generation old = current.getAndSet(next);
        if (old != null) {
            old.retire();
        }
    }
}
