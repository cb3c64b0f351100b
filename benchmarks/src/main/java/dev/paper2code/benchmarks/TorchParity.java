package dev.paper2code.benchmarks;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.encoder.EncoderConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The training step of this project (DJL, {@code ContrastiveTrainer.step}) against the same dual-encoder
 * step written in PyTorch eager ({@code benchmarks/src/main/python/torch_parity_step.py}), on identical
 * shapes, one after the other in one run on one machine. Ratio = PyTorch median step time / DJL median
 * step time: above 1 the trainer is faster.
 *
 * <p>Usage: {@code bin/benchmark torch-parity [shape,...]} with shapes from {@link #SHAPES} (default all).
 * The Python side runs {@code $TORCH_PARITY_PYTHON} (default {@code /usr/bin/python3}, Debian's
 * python3-torch, which bin/benchmark installs).
 */
public final class TorchParity {
    /** One step shape: both encoders get {@code layers} layers of width {@code hidden}, feed-forward 4 x hidden. */
    record StepShape(String name, int vocab, int hidden, int layers, int heads, int batch, int length, int warmup,
                     int steps, int rounds) {
        List<String> pythonArguments() {
            return List.of("--vocab", "" + vocab, "--hidden", "" + hidden, "--layers", "" + layers, "--heads", "" + heads,
                    "--batch", "" + batch, "--length", "" + length, "--warmup", "" + warmup, "--steps", "" + steps);
        }

        String describe() {
            return String.format("hidden %d / %d layers / batch %d / length %d (vocab %d)", hidden, layers, batch, length, vocab);
        }
    }

    static final List<StepShape> SHAPES = List.of(
            new StepShape("codebert", 50265, 768, 12, 12, 8, 128, 1, 3, 1),
            new StepShape("deep-narrow", 1000, 32, 12, 4, 2, 8, 200, 200, 5),
            new StepShape("small", 8000, 128, 2, 4, 8, 32, 200, 200, 5));

    public static void main(String[] args) throws Exception {
        List<String> wanted = args.length > 0 ? Arrays.asList(args[0].split(",")) : SHAPES.stream().map(StepShape::name).toList();
        String python = System.getenv().getOrDefault("TORCH_PARITY_PYTHON", "/usr/bin/python3");
        System.out.println(BenchmarkData.machine());
        System.out.println("DJL engine: " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                + ", threads " + System.getProperty("ai.djl.pytorch.num_threads", "default"));
        List<String> rows = new ArrayList<>();
        for (StepShape shape : SHAPES) {
            if (!wanted.contains(shape.name())) {
                continue;
            }
            // Rounds alternate the two sides, so that a slow minute of a shared machine hits both; each
            // side's figure is the median over rounds of its median step.
            double[] torchRounds = new double[shape.rounds()];
            double[] djlRounds = new double[shape.rounds()];
            for (int round = 0; round < shape.rounds(); round++) {
                JsonNode torch = runPython(python, shape);
                torchRounds[round] = torch.path("median_ms").asDouble();
                djlRounds[round] = djlMedianMillis(shape);
                System.out.printf("%s round %d: %s %.1f ms, DJL %.1f ms%n", shape.name(), round + 1,
                        torch.path("engine").asText(), torchRounds[round], djlRounds[round]);
            }
            double torch = median(torchRounds);
            double djl = median(djlRounds);
            String row = String.format("| %s | %s | %.1f ms | %.1f ms | %.2f | %s |", shape.name(), shape.describe(),
                    torch, djl, torch / djl, ratios(torchRounds, djlRounds));
            System.out.println(row);
            rows.add(row);
        }
        System.out.println();
        System.out.println("| shape | dimensions | PyTorch eager median step | DJL median step | ratio (PyTorch / DJL) | ratio per round |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String ratios(double[] torch, double[] djl) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < torch.length; i++) {
            text.append(i == 0 ? "" : ", ").append(String.format("%.2f", torch[i] / djl[i]));
        }
        return text.toString();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static JsonNode runPython(String python, StepShape shape) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, "benchmarks/src/main/python/torch_parity_step.py"));
        command.addAll(shape.pythonArguments());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        return new ObjectMapper().readTree(BenchmarkData.lastLineOf(builder, "the PyTorch reference for " + shape.name()));
    }

    private static double djlMedianMillis(StepShape shape) {
        EncoderConfig config = new EncoderConfig("roberta", shape.vocab(), shape.hidden(), shape.layers(), shape.heads(),
                4 * shape.hidden(), shape.length() + 2, 1, 1e-5f, 1, "gelu", 0.02f, 0f, 0f);
        Random random = new Random(1);
        TokenBatch papers = BenchmarkData.randomBatch(random, shape.batch(), shape.length(), shape.vocab());
        TokenBatch code = BenchmarkData.randomBatch(random, shape.batch(), shape.length(), shape.vocab());
        try (ContrastiveModel model = ContrastiveModel.fromScratch(config, 0, ContrastiveOptions.seedDefaults(),
                Engine.getInstance().defaultDevice());
             ContrastiveTrainer trainer = new ContrastiveTrainer(model)) {
            for (int i = 0; i < shape.warmup(); i++) {
                trainer.step(papers, code, 1e-4f, 1f);
            }
            double[] times = new double[shape.steps()];
            for (int i = 0; i < times.length; i++) {
                long start = System.nanoTime();
                trainer.step(papers, code, 1e-4f, 1f);
                times[i] = (System.nanoTime() - start) / 1e6;
            }
            return median(times);
        }
    }

    private TorchParity() {
    }

}
