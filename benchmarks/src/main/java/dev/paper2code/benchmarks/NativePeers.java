package dev.paper2code.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.retrieval.index.HnswOptions;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The search index's peers on the same vectors, as torch-parity is the trainer's: hnswlib (C++, the
 * reference implementation of HNSW, compiled by {@code bin/benchmark} with -O3 -march=native from the
 * headers of the npm package {@code hnswlib-node}; {@code benchmarks/src/main/cpp/hnsw_peer.cpp}) on one
 * thread and on every core, and Debian's FAISS (exact and HNSW) for reference. Same M / efConstruction /
 * ef as the Lucene index ({@link HnswOptions#DEFAULTS}), same queries, recall@k against the same exact
 * top k. A peer that is not at hand is a visible "skipped" row, never a silent omission.
 *
 * <p>What each number includes: Lucene's query time is {@code RepositoryIndex.searchHnsw} as search
 * serves it (graph search, then the key of each of the top k read from stored fields); the peers'
 * is the bare graph search returning row numbers. Build: Lucene's one-writer build and commit; hnswlib's
 * {@code addPoint} of every vector; FAISS's {@code add}.
 */
final class NativePeers {
    /** The compiled hnswlib driver; bin/benchmark sets it. */
    static final String HNSW_PEER = "benchmark.hnsw-peer";
    /** A python with faiss and numpy (Debian's /usr/bin/python3 with python3-faiss); bin/benchmark sets it. */
    static final String FAISS_PYTHON = "benchmark.faiss-python";
    static final String HEADER = "| vectors | dim | system | threads | build s | build vectors/s | p50 ms | p99 ms | queries/s | recall@10 "
            + "| Lucene/peer build rate | Lucene/peer p50 |\n| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    /** One system's numbers on one size. */
    record Result(String system, int threads, double buildSeconds, double p50Millis, double p99Millis,
                  double queriesPerSecond, double recall) {
    }

    private NativePeers() {
    }

    /**
     * Rows for the peers table: Lucene's (one per build thread count) first, then every peer with its
     * ratios to the Lucene build on as many threads (else to the first Lucene row).
     */
    static List<String> compare(int count, int dimension, float[][] vectors, float[][] queries, int[][] truth, int warmup,
                                int k, List<Result> luceneRuns) throws IOException, InterruptedException {
        return compare(count, dimension, vectors, queries, truth, warmup, k, luceneRuns, new ArrayList<>());
    }

    /**
     * The same, and hnswlib's one-thread graph also answers the queries at each of
     * {@link RecallSweep#WIDTHS} as ef, its points added to {@code sweep}.
     */
    static List<String> compare(int count, int dimension, float[][] vectors, float[][] queries, int[][] truth, int warmup,
                                int k, List<Result> luceneRuns, List<RecallSweep.Point> sweep) throws IOException, InterruptedException {
        List<String> rows = new ArrayList<>();
        luceneRuns.forEach(run -> rows.add(row(count, dimension, run, run)));
        java.util.function.IntFunction<Result> lucene = threads -> luceneRuns.stream()
                .filter(run -> run.threads() == threads).findFirst().orElse(luceneRuns.get(0));
        Path work = Files.createTempDirectory("hnsw-peers");
        try {
            Path base = write(work.resolve("base.f32"), vectors);
            Path query = write(work.resolve("queries.f32"), queries);
            HnswOptions options = HnswOptions.DEFAULTS;
            List<String> common = List.of(base.toString(), query.toString(), Integer.toString(count),
                    Integer.toString(queries.length), Integer.toString(dimension), Integer.toString(options.maxConnections()),
                    Integer.toString(options.beamWidth()), Integer.toString(options.candidates()), Integer.toString(k));
            String hnswPeer = System.getProperty(HNSW_PEER, "");
            int cores = Runtime.getRuntime().availableProcessors();
            for (int threads : cores > 1 ? List.of(1, cores) : List.of(1)) {
                if (hnswPeer.isEmpty() || !Files.isExecutable(Path.of(hnswPeer))) {
                    rows.add(skipped(count, dimension, "hnswlib", "no compiled peer (-D" + HNSW_PEER + "; bin/benchmark builds it)"));
                    break;
                }
                Path ids = work.resolve("hnswlib-" + threads + ".ids");
                List<String> command = new ArrayList<>(List.of(hnswPeer));
                command.addAll(common);
                command.addAll(List.of(Integer.toString(threads), Integer.toString(warmup), ids.toString()));
                if (threads == 1) {
                    command.add(String.join(",", RecallSweep.WIDTHS.stream().map(String::valueOf).toList()));
                }
                List<String> lines = run(command);
                JsonNode out = Json.MAPPER.readTree(lines.get(0));
                rows.add(row(count, dimension, result("hnswlib HNSW", threads, out, readIds(ids, queries.length, k), truth, warmup),
                        lucene.apply(threads)));
                for (String line : lines.subList(1, lines.size())) {
                    JsonNode point = Json.MAPPER.readTree(line);
                    int ef = point.get("ef").asInt();
                    sweep.add(new RecallSweep.Point("hnswlib", ef, point.get("p50_ms").asDouble(), point.get("p99_ms").asDouble(),
                            QueryTimings.recall(readIds(Path.of(ids + "." + ef), queries.length, k), truth, warmup)));
                }
            }
            String python = System.getProperty(FAISS_PYTHON, "");
            Path script = Path.of("benchmarks/src/main/python/faiss_peer.py");
            if (python.isEmpty() || !Files.isRegularFile(script)) {
                rows.add(skipped(count, dimension, "FAISS", "no python with faiss (-D" + FAISS_PYTHON + "; bin/benchmark installs python3-faiss)"));
            } else {
                List<String> command = new ArrayList<>(List.of(python, script.toString()));
                command.addAll(common);
                command.addAll(List.of("1", Integer.toString(warmup), work.resolve("faiss").toString()));
                for (String line : run(command)) {
                    JsonNode out = Json.MAPPER.readTree(line);
                    String index = out.get("index").asText();
                    int[][] found = readIds(work.resolve("faiss." + index + ".ids"), queries.length, k);
                    rows.add(row(count, dimension, result(index.equals("flat") ? "FAISS exact (IndexFlatIP)" : "FAISS HNSW",
                            1, out, found, truth, warmup), lucene.apply(1)));
                }
            }
        } finally {
            try (var paths = Files.walk(work)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        return rows;
    }

    private static Result result(String system, int threads, JsonNode out, int[][] found, int[][] truth, int warmup) {
        return new Result(system, threads, out.get("build_seconds").asDouble(), out.get("p50_ms").asDouble(),
                out.get("p99_ms").asDouble(), out.get("queries_per_second").asDouble(), QueryTimings.recall(found, truth, warmup));
    }

    private static String row(int count, int dimension, Result r, Result lucene) {
        boolean self = r == lucene;
        return String.format(Locale.ROOT, "| %,d | %d | %s | %d | %.1f | %,.0f | %.2f | %.2f | %,.0f | %.4f | %s | %s |", count,
                dimension, r.system(), r.threads(), r.buildSeconds(), count / r.buildSeconds(), r.p50Millis(), r.p99Millis(),
                r.queriesPerSecond(), r.recall(),
                self ? "1" : String.format(Locale.ROOT, "%.2f", r.buildSeconds() / lucene.buildSeconds()),
                self ? "1" : String.format(Locale.ROOT, "%.2f", lucene.p50Millis() / r.p50Millis()));
    }

    private static String skipped(int count, int dimension, String system, String why) {
        return String.format(Locale.ROOT, "| %,d | %d | %s | | skipped: %s | | | | | | | |", count, dimension, system, why);
    }

    /** The command's stdout lines; its stderr goes to ours; a non-zero exit fails the benchmark. */
    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines;
        try (var reader = process.inputReader()) {
            lines = reader.lines().filter(line -> line.startsWith("{")).toList();
        }
        if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0 || lines.isEmpty()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + ")");
        }
        return lines;
    }

    private static Path write(Path file, float[][] rows) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(rows[0].length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
             DataOutputStream data = new DataOutputStream(out)) {
            for (float[] row : rows) {
                buffer.clear();
                buffer.asFloatBuffer().put(row);
                data.write(buffer.array());
            }
        }
        return file;
    }

    private static int[][] readIds(Path file, int queries, int k) throws IOException {
        ByteBuffer buffer;
        try (FileChannel channel = FileChannel.open(file)) {
            buffer = ByteBuffer.allocate((int) channel.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read it all
            }
        }
        buffer.flip();
        int[][] ids = new int[queries][k];
        for (int q = 0; q < queries; q++) {
            for (int i = 0; i < k; i++) {
                ids[q][i] = buffer.getInt();
            }
        }
        return ids;
    }
}
