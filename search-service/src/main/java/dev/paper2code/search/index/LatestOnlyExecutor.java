package dev.paper2code.search.index;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One thread that works off requests newest-first: requests that arrive while it is busy coalesce, and
 * only the newest of them runs next (a run improving epoch after epoch asks for several index builds;
 * the ones in between would be thrown away on completion anyway).
 */
final class LatestOnlyExecutor<T> {
    private final AtomicReference<T> pending = new AtomicReference<>();
    private final ExecutorService thread;
    private final Consumer<T> task;

    LatestOnlyExecutor(String threadName, Consumer<T> task) {
        this.task = task;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread daemon = new Thread(runnable, threadName);
            daemon.setDaemon(true);
            return daemon;
        });
    }

    void submit(T request) {
        pending.set(request);
        thread.execute(() -> {
            T next = pending.getAndSet(null);
            if (next != null) {
                task.accept(next);
            }
        });
    }

    /** Interrupts the running task and waits up to {@code wait} for it to end. */
    void shutdown(Duration wait) {
        thread.shutdownNow();
        try {
            thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
