package dev.paper2code.retrieval.index;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * A list cut into {@code threads} contiguous slices, each handed to the same work on a thread of its
 * own, the caller waiting for all; the first failure is rethrown as it was (an {@link IOException}
 * stays one). One thread runs on the caller's thread.
 */
final class ParallelSlices {
    /** The work on one slice. */
    interface SliceWork<T> {
        void run(List<T> slice) throws IOException;
    }

    private ParallelSlices() {
    }

    /** Daemon threads of this name: an index's workers never keep a JVM alive. */
    static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    static <T> void run(List<T> items, int threads, String name, SliceWork<T> work) throws IOException {
        if (threads <= 1 || items.size() < 2) {
            work.run(items);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads(name));
        try {
            List<Future<Void>> slices = new ArrayList<>(threads);
            int per = (items.size() + threads - 1) / threads;
            for (int from = 0; from < items.size(); from += per) {
                List<T> slice = items.subList(from, Math.min(items.size(), from + per));
                slices.add(pool.submit(() -> {
                    work.run(slice);
                    return null;
                }));
            }
            for (Future<Void> slice : slices) {
                slice.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
