package dev.paper2code.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.LocalKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded local run end to end, as {@code bin/run-local} does it: a broker process and the three
 * packaged services (parser, tokenizer, trainer, search) on the sample data. Runs in the integration-test
 * phase, after the services are packaged.
 */
class LocalPipelineIT {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = PROJECT.resolve("data/sample/paper_code_pairs.json");
    /** Enough for the val loss to drop and Recall@1 to pass chance; each run trains them (two runs). */
    private static final int EPOCHS = 2;

    @TempDir
    Path workDir;

    @Test
    void theSampleDataIsTokenizedAndTrainedOnAndARestartPublishesNothingTwice() throws Exception {
        JsonNode sample = Json.MAPPER.readTree(SAMPLE.toFile());
        long links = 0;
        long papersWithoutCode = 0;
        for (JsonNode entry : sample) {
            links += entry.path("repositories").size();
            papersWithoutCode += entry.path("repositories").isEmpty() ? 1 : 0;
        }
        // The default start (pretrained all-MiniLM-L6-v2 and its tokenizer), two epochs (the default is 3).
        LocalRunOptions options = new LocalRunOptions(PROJECT, SAMPLE, workDir, 0, false, false, EPOCHS, null,
                null, false, null, false, 0, null, Map.of());
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        List<String> searchChecks = new ArrayList<>();
        LocalRunReport first = new LocalPipeline(options, new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(running -> searchChecks.addAll(SearchRanksCheck.run(running)));
        LocalRunReport second = new LocalPipeline(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        String log = console.toString(StandardCharsets.UTF_8);
        assertEquals(links, first.pairs(), log);
        assertEquals(links, first.train() + first.val(), "every pair is tokenized into one split:\n" + log);
        assertEquals(Map.of("parser/NO_REPOSITORIES", papersWithoutCode), first.deadLettersByReason(), log);
        assertEquals(List.of(first.pairs(), first.train(), first.val(), first.deadLettersByReason()),
                List.of(second.pairs(), second.train(), second.val(), second.deadLettersByReason()),
                "the second run over the same broker data published something again:\n" + log);
        assertTrue(log.contains("already published:  " + (links + papersWithoutCode) + " (skipped)"), log);

        assertTrue(first.trainingEnd().startsWith("RUN_FINISHED"), first.trainingEnd() + "\n" + log);
        assertEquals(EPOCHS, first.epochs().size(), log);
        Map<String, Double> epochOne = first.epochs().get(0);
        Map<String, Double> lastEpoch = first.epochs().get(EPOCHS - 1);
        assertTrue(lastEpoch.get("val_loss") < epochOne.get("val_loss"), "val loss did not drop:\n" + log);
        double chance = 1.0 / first.val();
        assertTrue(lastEpoch.get("recall@1") > 3 * chance, "Recall@1 " + lastEpoch.get("recall@1") + " vs chance " + chance);
        assertEquals(lastEpoch.get("val_loss"), second.epochs().get(EPOCHS - 1).get("val_loss"), 1e-6,
                "the same data and seed train the same model");
        assertTrue(Files.isRegularFile(workDir.resolve("checkpoints/best_model/checksums.sha256")));
        assertTrue(log.contains("Search evaluation, ") && log.contains("Example query, val paper "), log);
        assertTrue(log.contains("BM25 (keywords)") && log.contains("hybrid (trained + BM25)")
                        && log.contains("start model (zero-shot)"),
                "the report compares the trained model with the keyword baseline and the start model: " + log);
        // Issue 24: the default fine-tunes the imported all-MiniLM-L6-v2, and the tokenizer-service
        // tokenizes with that model's own tokenizer (the trainer checks the fingerprints at the start).
        Path model = workDir.resolve("models/all-minilm-l6-v2");
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")), log);
        assertTrue(log.contains("Start model: all-MiniLM-L6-v2, pretrained"), log);
        assertTrue(log.contains("Dataset (tokenizer " + model + ", tokenizer.json, max length 256"), log);
        assertEquals(List.of(), searchChecks.stream().filter(c -> !c.startsWith("ok")).toList(), String.join("\n", searchChecks));
        assertTrue(searchChecks.size() >= 10, "too few val papers were checked: " + searchChecks);

        assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
                "the run left child processes behind");
        progressEventsAreReadableWithKcat();
    }

    /** A third-party client reads both runs' progress from the broker data the runs left behind. */
    private void progressEventsAreReadableWithKcat() throws IOException, InterruptedException {
        Assumptions.assumeTrue(kcatInstalled(), "kcat is not installed");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(workDir.resolve("kafka"), 0)) {
            Process kcat = new ProcessBuilder("kcat", "-C", "-b", broker.bootstrapServers(), "-t",
                    Topics.TRAINING_PROGRESS.name(), "-e", "-q", "-f", "%s\\n").redirectErrorStream(false).start();
            String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(kcat.waitFor(60, TimeUnit.SECONDS));
            List<String> types = new ArrayList<>();
            Set<String> runs = new HashSet<>();
            for (String line : output.split("\n")) {
                if (!line.isBlank()) {
                    JsonNode event = Json.MAPPER.readTree(line);
                    types.add(event.path("type").asText());
                    runs.add(event.path("runId").asText());
                }
            }
            assertEquals(2, runs.size(), output);
            assertEquals(2, types.stream().filter("RUN_STARTED"::equals).count(), output);
            assertEquals(2 * EPOCHS, types.stream().filter("EPOCH_FINISHED"::equals).count(), output);
            assertEquals(2, types.stream().filter("RUN_FINISHED"::equals).count(), output);
            assertTrue(types.contains("CHECKPOINT_SAVED") && types.contains("BATCH_LOSS"), output);
        }
        assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
                "the broker was not stopped");
    }

    private static boolean kcatInstalled() {
        try {
            return new ProcessBuilder("kcat", "-V").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
