package dev.paper2code.launcher;

import dev.paper2code.contracts.TopicTail;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows the progress topic as any subscriber would, from the offsets it had before the trainer
 * started, until the first run it sees finishes or fails.
 */
final class TrainingWatcher implements AutoCloseable {
    /** How the run ended and what each epoch measured ({@code train_loss}, {@code val_loss}, {@code recall@1}, ...). */
    record Outcome(String runId, TrainingEvent.Type end, String detail, List<Map<String, Double>> epochs) {
    }

    private final TopicTail progress;
    private final java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    TrainingWatcher(String bootstrapServers, String topic) {
        progress = TopicTail.open(Map.of("bootstrap.servers", bootstrapServers), List.of(topic), List.of(topic));
    }

    Outcome awaitRun(Duration stallTimeout, Consumer<TrainingEvent> onEvent) {
        // Not a fixed budget: a pretrained model on a busy 2-core machine nearly used up 30 minutes. The
        // wait fails only when the run says nothing (no step logged, no epoch) for stallTimeout.
        long deadline = System.nanoTime() + stallTimeout.toNanos();
        String runId = null;
        java.util.TreeMap<Integer, Map<String, Double>> epochs = new java.util.TreeMap<>();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : poll()) {
                TrainingEvent event = readable(record);
                if (event == null) {
                    continue;
                }
                if (runId == null && event instanceof TrainingEvent.RunStarted) {
                    runId = event.runId();
                }
                if (runId == null && event instanceof TrainingEvent.RunFailed failed) {
                    return new Outcome(failed.runId(), failed.type(), failed.reason(), new ArrayList<>(epochs.values()));
                }
                if (!event.runId().equals(runId)) {
                    continue;
                }
                deadline = System.nanoTime() + stallTimeout.toNanos();
                onEvent.accept(event);
                if (event instanceof TrainingEvent.EpochFinished epoch) {
                    // By (run, epoch): a resumed run redoes its interrupted epoch, and the later event counts.
                    epochs.tailMap(epoch.epoch()).clear();
                    epochs.put(epoch.epoch(), epoch.values());
                } else if (event instanceof TrainingEvent.RunFinished finished) {
                    return new Outcome(runId, finished.type(), finished.status(), new ArrayList<>(epochs.values()));
                } else if (event instanceof TrainingEvent.RunFailed failed) {
                    return new Outcome(runId, failed.type(), failed.reason(), new ArrayList<>(epochs.values()));
                }
            }
        }
        throw new IllegalStateException(runId == null ? "no training run started within " + stallTimeout
                : "run " + runId + " made no progress (no logged step, no epoch) for " + stallTimeout);
    }

    /** The event, or null for a record that is none (a subscriber skips it, as every other one does). */
    private static TrainingEvent readable(ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? null : Topics.TRAINING_PROGRESS.deserializeValue(record.value());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Iterable<ConsumerRecord<String, byte[]>> poll() {
        if (closed) {
            throw new IllegalStateException("stopped while waiting for a training run");
        }
        polling.set(true);
        try {
            return progress.poll(Duration.ofMillis(500));
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            progress.close();
            throw new IllegalStateException("stopped while waiting for a training run");
        } finally {
            polling.set(false);
        }
    }

    /** Safe from another thread (Ctrl-C): a poll in progress is woken up and closes the consumer itself. */
    @Override
    public void close() {
        closed = true;
        if (polling.get()) {
            progress.wakeup();
        } else {
            progress.close();
        }
    }
}
