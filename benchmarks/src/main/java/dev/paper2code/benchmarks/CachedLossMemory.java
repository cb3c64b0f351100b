package dev.paper2code.benchmarks;

import ai.djl.engine.Engine;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.contrastive.TrainingOptions;
import dev.paper2code.model.encoder.DropoutRates;
import dev.paper2code.model.encoder.EncoderConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Peak native memory of a training step with and without the cached InfoNCE (mini_batch_size): each
 * configuration runs in a fresh JVM, which reports its resident-set high-water mark (VmHWM) after three
 * steps minus its resident set before the first step, i.e. what the steps added (activations, graph,
 * gradient, optimizer moments, allocator caching) on top of the loaded model.
 *
 * <p>Usage: {@code bin/benchmark cached-memory [batch/mini,...]} (default {@code 16/0,256/16,256/0}; mini 0 =
 * uncached). Model: the embedded default's shape (hidden 128, 2 layers, vocab 8000), texts of 128 tokens.
 */
public final class CachedLossMemory {
    private static final int LENGTH = 128;
    private static final int STEPS = 3;

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[0].equals("--child")) {
            child(args[1]);
            return;
        }
        List<String> configurations = Arrays.asList((args.length > 0 ? args[0] : "16/0,256/16,256/0").split(","));
        System.out.println(BenchmarkData.machine());
        List<String> rows = new ArrayList<>();
        for (String configuration : configurations) {
            String row = BenchmarkData.lastLineOf(new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-Dai.djl.offline=true",
                    "-cp", System.getProperty("java.class.path"), CachedLossMemory.class.getName(), "--child", configuration),
                    "configuration " + configuration);
            System.out.println(row);
            rows.add(row);
        }
        System.out.println();
        System.out.println("| batch | mini-batch | step median | RSS before steps | peak RSS | added by the steps |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static void child(String configuration) throws IOException {
        String[] parts = configuration.split("/");
        int batch = Integer.parseInt(parts[0]);
        int mini = Integer.parseInt(parts[1]);
        EncoderConfig config = EncoderConfig.smallRoberta(8000, 1, LENGTH);
        Random random = new Random(1);
        TokenBatch papers = BenchmarkData.randomBatch(random, batch, LENGTH, config.vocabSize());
        TokenBatch code = BenchmarkData.randomBatch(random, batch, LENGTH, config.vocabSize());
        try (ContrastiveModel model = ContrastiveModel.fromScratch(config, 0, ContrastiveOptions.seedDefaults(),
                Engine.getInstance().defaultDevice());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model, new TrainingOptions(DropoutRates.OFF, mini, 0))) {
            long before = BenchmarkData.rssMiB();
            double[] times = new double[STEPS];
            for (int i = 0; i < STEPS; i++) {
                long start = System.nanoTime();
                trainer.step(papers, code, 1e-4f, 1f);
                times[i] = (System.nanoTime() - start) / 1e6;
            }
            long peak = BenchmarkData.peakRssMiB();
            Arrays.sort(times);
            System.out.printf("| %d | %s | %.0f ms | %d MiB | %d MiB | %d MiB |%n", batch, mini == 0 ? "off" : "" + mini,
                    times[STEPS / 2], before, peak, peak - before);
        }
    }

    private CachedLossMemory() {
    }
}
