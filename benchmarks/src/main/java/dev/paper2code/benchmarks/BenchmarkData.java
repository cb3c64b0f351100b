package dev.paper2code.benchmarks;

import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.cleaning.CleanedEntry;
import dev.paper2code.cleaning.EntryCleaner;
import dev.paper2code.cleaning.Outcome;
import dev.paper2code.model.contrastive.TokenBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Inputs and machine description shared by the runners. */
final class BenchmarkData {
    private BenchmarkData() {
    }

    /**
     * The dataset's pairs as the parser cleans them, repeated {@code copies} times under distinct pair,
     * paper and repository ids so that runs are long enough to measure and copies are not duplicates.
     */
    static List<TextPair> pairs(Path dataset, int copies) throws IOException {
        List<TextPair> base = cleanedPairs(dataset);
        List<TextPair> pairs = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            for (TextPair p : base) {
                pairs.add(new TextPair(p.pairId() + "#" + copy, p.paperId() + "#" + copy, p.repository() + "#" + copy,
                        p.paperText(), p.codeText(), p.source()));
            }
        }
        return pairs;
    }

    /**
     * One pair as the tokenizer-service publishes it: paper and code text encoded by {@code tokenizer}
     * (its fingerprint and max length in the record), on {@code split}.
     */
    static TokenizedPair tokenized(TextPair p, TruncatingTokenizer tokenizer, String split) {
        TruncatingTokenizer.Encoded paper = tokenizer.encode(p.paperText());
        TruncatingTokenizer.Encoded code = tokenizer.encode(p.codeText());
        return new TokenizedPair(p.pairId(), p.paperId(), p.repository(), split, paper.inputIds(), paper.attentionMask(),
                paper.truncated(), code.inputIds(), code.attentionMask(), code.truncated(), tokenizer.fingerprint(),
                tokenizer.maxLength());
    }

    /** The dataset's pairs exactly as the parser publishes them. */
    static List<TextPair> cleanedPairs(Path dataset) throws IOException {
        List<TextPair> pairs = new ArrayList<>();
        for (CleanedEntry entry : new EntryCleaner().clean(Files.readString(dataset), "file:" + dataset.getFileName())) {
            for (Outcome outcome : entry.outcomes()) {
                if (outcome instanceof Outcome.Accepted accepted) {
                    pairs.add(accepted.pair());
                }
            }
        }
        return pairs;
    }

    /**
     * Runs a child process (stderr passed through) and returns the last line it printed on stdout: each
     * runner's child prints its result there.
     *
     * @throws IOException naming {@code what} with the child's output when it exits with a failure
     */
    static String lastLineOf(ProcessBuilder child, String what) throws IOException, InterruptedException {
        Process process = child.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IOException(what + " failed: " + output);
        }
        return output.substring(output.lastIndexOf('\n') + 1);
    }

    /** {@code size} texts of {@code length} random ids in [3, vocab) (past RoBERTa's special ids), no padding. */
    static TokenBatch randomBatch(Random random, int size, int length, int vocab) {
        long[][] ids = new long[size][length];
        long[][] mask = new long[size][length];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < length; j++) {
                ids[i][j] = 3 + random.nextInt(vocab - 3);
                mask[i][j] = 1;
            }
        }
        return TokenBatch.of(ids, mask);
    }

    static String machine() {
        return String.format("Machine: %d cores, %d MiB max heap, %s %s, %s", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /** Peak resident set size of this process so far (VmHWM), in MiB; -1 where /proc is missing. */
    static long peakRssMiB() {
        return status("VmHWM:");
    }

    /** Resident set size of this process now (VmRSS), in MiB; -1 where /proc is missing. */
    static long rssMiB() {
        return status("VmRSS:");
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
