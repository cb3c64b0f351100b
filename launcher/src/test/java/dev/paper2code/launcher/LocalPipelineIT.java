package dev.paper2code.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded local run end to end, as {@code bin/run-local} does it: a broker process and the
 * packaged services on the sample data. Runs in the integration-test phase, after the services are
 * packaged.
 */
class LocalPipelineIT {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final Path SAMPLE = PROJECT.resolve("data/sample/paper_code_pairs.json");

    @TempDir
    Path workDir;

    @Test
    void theSampleDataBecomesTokenizedPairsAndARestartPublishesNothingTwice() throws Exception {
        JsonNode sample = Json.MAPPER.readTree(SAMPLE.toFile());
        long links = 0;
        long papersWithoutCode = 0;
        for (JsonNode entry : sample) {
            links += entry.path("repositories").size();
            papersWithoutCode += entry.path("repositories").isEmpty() ? 1 : 0;
        }
        LocalPipeline.Options options = new LocalPipeline.Options(PROJECT, SAMPLE, workDir, 0, false, false);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        LocalPipeline.Report first = new LocalPipeline(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        LocalPipeline.Report second = new LocalPipeline(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        String log = console.toString(StandardCharsets.UTF_8);
        assertEquals(links, first.pairs(), log);
        assertEquals(links, first.train() + first.val(), "every pair is tokenized into one split:\n" + log);
        assertEquals(Map.of("parser/NO_REPOSITORIES", papersWithoutCode), first.deadLettersByReason(), log);
        assertEquals(first, second, "the second run over the same broker data published something again:\n" + log);
        assertEquals(true, log.contains("already published:  " + (links + papersWithoutCode) + " (skipped)"), log);
        assertEquals(0, ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
                "the run left child processes behind");
    }
}
