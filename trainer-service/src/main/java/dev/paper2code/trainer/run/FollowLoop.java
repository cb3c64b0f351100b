package dev.paper2code.trainer.run;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TopicCursor;
import dev.paper2code.trainer.TrainerConfig;
import dev.paper2code.trainer.champion.ChampionSelection;
import dev.paper2code.trainer.checkpoint.RunDirectories;
import dev.paper2code.trainer.settings.RunSettings;
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
 */
final class FollowLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(FollowLoop.class);

    private final TrainerService trainer;
    private final TrainerConfig.Follow follow;
    private final Map<String, Object> kafkaConfig;
    private final BooleanSupplier stopping;
    private long lastFollowStart;
    private long lastCountedOffsets = -1;

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
        long newPairs = newRecords(defaults.trainTopic(), last.trainPairs());
        if (newPairs < follow.minNewPairs()) {
            return;
        }
        lastFollowStart = System.nanoTime();
        String trigger = "follow: " + newPairs + " new pairs";
        LOG.infof("%d new pairs on %s since run %s: starting a warm-start run from the champion", newPairs,
                defaults.trainTopic(), last.runId());
        trainer.start(Map.of("num_epochs", follow.numEpochs(), "learning_rate", follow.learningRate(),
                "warmup_ratio", follow.warmupRatio(),
                "warm_start_from", checkpointDir.resolve(RunDirectories.CHAMPION).toString()), trigger);
    }

    /**
     * Records on the topic beyond {@code trained}. The end offsets are looked at first (cheap, and an
     * upper bound, transaction markers included); the records are counted only when those grew enough.
     */
    private long newRecords(String topic, long trained) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            long offsets = TopicCursor.size(consumer, topic);
            if (offsets - trained < follow.minNewPairs() || offsets == lastCountedOffsets) {
                return 0;
            }
            lastCountedOffsets = offsets;
            return TopicCursor.readToEnd(consumer, List.of(topic), record -> { }) - trained;
        }
    }
}
