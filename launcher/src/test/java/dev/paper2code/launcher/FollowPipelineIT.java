package dev.paper2code.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.Topics;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.testkit.LocalKafkaBroker;
import dev.paper2code.testkit.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 end to end, as {@code bin/run-local --follow} does it: after the first run, raw entries
 * published to the parser's raw topic are parsed, tokenized and, once enough train pairs arrived,
 * train a warm-start run from the champion that nobody started; it ends with the champion decision.
 */
class FollowPipelineIT {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = PROJECT.resolve("data/sample/paper_code_pairs.json");

    @TempDir
    Path workDir;

    @Test
    void entriesPublishedWhileItRunsTriggerAFollowUpRunThatEndsWithTheChampionDecision() throws Exception {
        int port = LocalKafkaBroker.freePort();
        // --scratch: the small model with its learned vocabulary, as run-local --scratch --follow.
        LocalRunOptions options = LocalRunOptions.defaults(PROJECT).withWorkDir(workDir, port)
                .fromScratch(3, "5e-4").following(1);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        LocalPipeline pipeline = new LocalPipeline(options, new PrintStream(console, true, StandardCharsets.UTF_8));
        AtomicReference<Object> result = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                result.set(pipeline.run());
            } catch (Exception e) {
                result.set(e);
            }
        }, "follow-pipeline");
        running.start();
        String bootstrap = "127.0.0.1:" + port;
        try {
            TopicReader.readUntil(bootstrap, Topics.TRAINING_PROGRESS.name(), JsonSerde.of(TrainingEvent.class),
                    read -> read.stream().anyMatch(r -> r.value().type() == TrainingEvent.Type.RUN_FINISHED),
                    Duration.ofMinutes(4));

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 16; i++) {
                    producer.send(new ProducerRecord<>(Topics.RAW_ENTRIES.name(), "{\"paper\": {\"arxiv_id\": \"2611."
                            + (10_000 + i) + "\", \"title\": \"Contrastive code retrieval for papers, part " + i
                            + "\", \"abstract\": \"We learn embeddings of papers and of the code that implements them.\"},"
                            + " \"repositories\": [{\"name\": \"follow/retrieval-" + i + "\","
                            + " \"description\": \"training code for contrastive retrieval\"}]}"));
                }
            }
            running.join(Duration.ofMinutes(4).toMillis());
        } finally {
            pipeline.stopAll();
            running.interrupt();
        }

        String log = console.toString(StandardCharsets.UTF_8);
        assertTrue(result.get() instanceof LocalRunReport, result.get() + "\n" + log);
        LocalRunReport report = (LocalRunReport) result.get();
        assertEquals(1, report.followUps().size(), log);
        String followUp = report.followUps().get(0);
        assertTrue(followUp.contains("[follow: ") && followUp.contains("RUN_FINISHED")
                && (followUp.contains("MODEL_PROMOTED") || followUp.contains("MODEL_KEPT"))
                && followUp.contains("champion=") && followUp.contains("challenger="), followUp + "\n" + log);
        assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
                "the run left child processes behind");
    }
}
