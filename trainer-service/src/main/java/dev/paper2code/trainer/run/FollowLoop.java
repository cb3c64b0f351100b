package dev.paper2code.trainer.run;

import dev.paper2code.training.run.TrainingRun;
import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TopicCursor;
import dev.paper2code.trainer.TrainerConfig;
import dev.paper2code.training.champion.ChampionSelection;
import dev.paper2code.training.checkpoint.RunDirectories;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * {@code trainer.follow}: while no run is active, looks at the train topic; once at least
 * {@code min-new-pairs} records arrived beyond what the last finished run trained on (and the last
 * follow-up started at least {@code min-interval} ago), starts a warm-start run from the champion with
 * the {@code follow.*} epochs, learning rate and warmup. That run's model replaces the champion only
 * if it wins on the current val split ({@link ChampionSelection}); a failed or stopped follow-up
 * changes nothing, and the loop keeps following.
 *
 * <p>A user's stop holds: after a follow-up run stopped by a user, the next one waits for
 * {@code min-new-pairs} records beyond those on the topic when the stopped one started (it used to start
 * again a few seconds later on the pairs the user had just stopped training on); after any other run
 * stopped by a user, beyond those on the topic when the loop saw the stop.
 */
final class FollowLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(FollowLoop.class);

    private final TrainerService trainer;
    private final TrainerConfig.Follow follow;
    private final Map<String, Object> kafkaConfig;
    private final BooleanSupplier stopping;
    private long lastFollowStart;
    private long lastCountedOffsets = -1;
    /** The run a user stopped last, and the records on the train topic it counts from. */
    private String heldAfter;
    private long heldAtRecords;
    /** Records on the train topic when each follow-up run this loop started was started. */
    private final Map<String, Long> recordsAtStart = new java.util.HashMap<>();

    FollowLoop(TrainerService trainer, TrainerConfig.Follow follow, Map<String, Object> kafkaConfig,
            BooleanSupplier stopping) {
        this.trainer = trainer;
        this.follow = follow;
        this.kafkaConfig = kafkaConfig;
        this.stopping = stopping;
        this.lastFollowStart = System.nanoTime() - follow.minInterval().toNanos();
    }

    @Override
    public void run() {
        LOG.infof("Following the train topic: a warm-start run from the champion after %d new pairs, at most every %s",
                follow.minNewPairs(), follow.minInterval());
        while (!stopping.getAsBoolean()) {
            try {
                Thread.sleep(follow.checkInterval().toMillis());
                check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Follow check failed, trying again: %s", e.getMessage());
            }
        }
    }

    private void check() {
        TrainingRun last = trainer.latestFinished().orElse(null);
        if (last == null || trainer.current().map(TrainingRun::isActive).orElse(false)
                || System.nanoTime() - lastFollowStart < follow.minInterval().toNanos()) {
            return;
        }
        RunSettings defaults = trainer.defaults();
        Path checkpointDir = Path.of(defaults.checkpointDir());
        if (!java.nio.file.Files.exists(checkpointDir.resolve(RunDirectories.CHAMPION))) {
            return; // whether it is intact is the warm-start run's check, not one to repeat every few seconds
        }
        TrainingRun newest = trainer.current().orElse(last);
        if (newest.state() == TrainingRun.State.STOPPED && "user".equals(newest.stopReason())
                && !newest.runId().equals(heldAfter)) {
            heldAfter = newest.runId();
            Long atStart = recordsAtStart.get(newest.runId());
            heldAtRecords = atStart != null ? atStart : records(defaults.trainTopic());
            lastCountedOffsets = -1;
            LOG.infof("Run %s was stopped by a user: the next follow-up waits for %d new pairs beyond the %d there now",
                    newest.runId(), follow.minNewPairs(), heldAtRecords);
            return;
        }
        long trained = newest.runId().equals(heldAfter) ? Math.max(heldAtRecords, last.trainPairs()) : last.trainPairs();
        long records = recordsIfGrown(defaults.trainTopic(), trained);
        long newPairs = records - trained;
        if (records < 0 || newPairs < follow.minNewPairs()) {
            return;
        }
        lastFollowStart = System.nanoTime();
        String trigger = "follow: " + newPairs + " new pairs";
        LOG.infof("%d new pairs on %s since run %s: starting a warm-start run from the champion", newPairs,
                defaults.trainTopic(), last.runId());
        TrainingRun started = trainer.start(Map.of("num_epochs", follow.numEpochs(), "learning_rate",
                follow.learningRate(), "warmup_ratio", follow.warmupRatio(),
                "warm_start_from", checkpointDir.resolve(RunDirectories.CHAMPION).toString()), trigger);
        recordsAtStart.put(started.runId(), records);
    }

    /** Records on the topic now (each one read: the end offsets also count transaction markers). */
    private long records(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = scanConsumer()) {
            return TopicCursor.readToEnd(consumer, List.of(topic), record -> { });
        }
    }

    private KafkaConsumer<byte[], byte[]> scanConsumer() {
        return new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /**
     * Records on the topic, or -1 when they cannot be {@code min-new-pairs} beyond {@code trained}. The
     * end offsets are looked at first (cheap, and an upper bound, transaction markers included); the
     * records are counted only when those grew enough.
     */
    private long recordsIfGrown(String topic, long trained) {
        try (KafkaConsumer<byte[], byte[]> consumer = scanConsumer()) {
            long offsets = TopicCursor.size(consumer, topic);
            if (offsets - trained < follow.minNewPairs() || offsets == lastCountedOffsets) {
                return -1;
            }
            lastCountedOffsets = offsets;
            return TopicCursor.readToEnd(consumer, List.of(topic), record -> { });
        }
    }
}
