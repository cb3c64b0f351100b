package dev.paper2code.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.testkit.LocalKafkaBroker;
import dev.paper2code.testkit.TopicReader;
import dev.paper2code.training.SyntheticPairs;
import dev.paper2code.training.events.ProgressPublisher;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10.6: a broker outage failed the active run on a metadata timeout and lost its RUN_FAILED
 * event. Here a real broker process is stopped after the first epoch and started again on the same
 * port and data: the run waits through the outage, finishes every epoch, and every progress event,
 * those of the outage included, reaches the topic once the broker is back.
 */
class BrokerOutageTest {
    private static final String TRAIN = "outage.train";
    private static final String VAL = "outage.val";
    private static final String PROGRESS = "outage.progress";

    @TempDir
    Path directory;

    @Test
    void aRunOutlivesABrokerStopAndRestartAndNoEventIsLost() throws Exception {
        int port = LocalKafkaBroker.freePort();
        LocalKafkaBroker broker = LocalKafkaBroker.start(directory.resolve("kafka"), port);
        try {
            Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(kafka)) {
                admin.createTopics(List.of(new NewTopic(TRAIN, 3, (short) 1), new NewTopic(VAL, 3, (short) 1),
                        new NewTopic(PROGRESS, 1, (short) 1))).all().get();
            }
            SyntheticPairs data = new SyntheticPairs(directory.resolve("data"), 60);
            data.publish(broker.bootstrapServers(), TRAIN, VAL);
            RunSettings settings = data.runSettings(5, directory.resolve("checkpoints"), TRAIN, VAL)
                    .with(Map.of("broker_wait_seconds", 120));
            CountDownLatch firstEpoch = new CountDownLatch(1);
            ProgressPublisher publisher = new ProgressPublisher(kafka, PROGRESS);
            TrainingRun run = TrainingRun.overTopics("outage", TrainingConfig.of(settings).logEvery(5), kafka, Device.cpu())
                    .onEvent(publisher)
                    .onEvent(event -> {
                        if (event.type() == TrainingEvent.Type.EPOCH_FINISHED) {
                            firstEpoch.countDown();
                        }
                    });
            Thread training = new Thread(run, "outage-run");
            training.start();

            assertTrue(firstEpoch.await(2, TimeUnit.MINUTES), "the first epoch finished");
            broker.close();
            Thread.sleep(Duration.ofSeconds(8).toMillis());
            broker = LocalKafkaBroker.start(directory.resolve("kafka"), port);
            training.join(Duration.ofMinutes(4).toMillis());

            assertEquals(TrainingRun.State.FINISHED, run.state(), String.valueOf(run.status().failure()));
            assertEquals(5, run.history().size());
            publisher.close();
            List<TrainingEvent> events = TopicReader.readUntil(broker.bootstrapServers(), PROGRESS,
                            JsonSerde.of(TrainingEvent.class), read -> read.stream().anyMatch(r -> r.value().type()
                                    == TrainingEvent.Type.RUN_FINISHED), Duration.ofSeconds(60))
                    .stream().map(ConsumerRecord::value).toList();
            assertEquals(List.of(1, 2, 3, 4, 5), events.stream()
                    .filter(TrainingEvent.EpochFinished.class::isInstance).map(e -> ((TrainingEvent.EpochFinished) e).epoch()).toList(),
                    "every epoch's event, in order, once");
        } finally {
            broker.close();
        }
    }
}
