package dev.paper2code.benchmarks;

import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.retrieval.Vectors;
import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import dev.paper2code.tokenizer.split.SplitAssigner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The scale table's validation row: the ranking a validation computes once per epoch (every val paper
 * against every val repository, {@link CodeSearchMetrics#rank}) at the val split's real sizes, on seeded
 * random vectors of the default encoder's dimension (the ranking's cost does not depend on what the
 * vectors mean). Beside it, on a sample of the queries, the full sort per query it replaced.
 */
final class ValidationRanking {
    private static final int DIMENSION = 384;
    private static final int SAMPLE = 200;

    private ValidationRanking() {
    }

    static List<String> measure(List<TextPair> pairs, SplitAssigner splits) {
        Map<String, Integer> paperIndex = new HashMap<>();
        Map<String, Integer> codeIndex = new HashMap<>();
        List<Set<Integer>> relevant = new ArrayList<>();
        long valPairs = 0;
        for (TextPair pair : pairs) {
            if (!splits.splitOf(pair.paperId()).equals(TokenizedPair.VAL)) {
                continue;
            }
            valPairs++;
            int p = paperIndex.computeIfAbsent(pair.paperId(), id -> relevant.size());
            if (p == relevant.size()) {
                relevant.add(new HashSet<>());
            }
            relevant.get(p).add(codeIndex.computeIfAbsent(pair.repository(), id -> codeIndex.size()));
        }
        Random random = new Random(42);
        float[][] papers = gaussian(random, relevant.size());
        float[][] codes = gaussian(random, codeIndex.size());
        String input = String.format(Locale.ROOT, "%,d papers x %,d repositories", papers.length, codes.length);
        long bytes = (long) (papers.length + codes.length) * DIMENSION * Float.BYTES;

        long start = System.nanoTime();
        List<CodeSearchMetrics.Ranked> ranked = CodeSearchMetrics.rank(papers, codes, relevant);
        double seconds = ScaleBenchmark.since(start);
        List<String> rows = new ArrayList<>();
        rows.add(ScaleBenchmark.row("trainer: validation's ranking (every val paper against every val repository, top 10 kept, all cores)",
                input, seconds, papers.length / seconds, "queries/s", String.format(Locale.ROOT,
                        "%,d val pairs; dimension %d; the val embeddings hold %,d MiB (%d bytes per val paper or repository); MRR@10 %.4f "
                                + "(random vectors)", valPairs, DIMENSION, bytes >> 20, DIMENSION * Float.BYTES,
                        CodeSearchMetrics.compute(ranked).get("mrr@10"))));

        int sample = Math.min(SAMPLE, papers.length);
        start = System.nanoTime();
        float[][] units = new float[codes.length][];
        for (int c = 0; c < codes.length; c++) {
            units[c] = Vectors.unit(codes[c]); // once, as the code before did
        }
        for (int q = 0; q < sample; q++) {
            List<String> before = fullSort(papers[q], units, relevant.get(q));
            if (!before.equals(ranked.get(q).topKeys())) {
                throw new IllegalStateException("query " + q + ": the top 10 differ from the full sort's");
            }
        }
        double sampleSeconds = ScaleBenchmark.since(start);
        rows.add(ScaleBenchmark.row("trainer: the same ranking as it was before (the whole corpus sorted per query, one thread)",
                String.format(Locale.ROOT, "%,d of the queries", sample), sampleSeconds, sample / sampleSeconds, "queries/s",
                String.format(Locale.ROOT, "all %,d queries would take about %,.0f s at this rate; the same top 10 for every sampled query",
                        papers.length, papers.length * sampleSeconds / sample)));
        return rows;
    }

    /** The ranking as CodeSearchMetrics.rank computed it before: the whole corpus sorted for each query. */
    private static List<String> fullSort(float[] paper, float[][] units, Set<Integer> relevant) {
        float[] query = Vectors.unit(paper);
        float[] scores = new float[units.length];
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < units.length; c++) {
            scores[c] = Vectors.dot(query, units[c]);
            order.add(c);
        }
        order.sort(Comparator.<Integer>comparingDouble(c -> -scores[c]).thenComparing(relevant::contains).thenComparingInt(c -> c));
        return order.stream().limit(CodeSearchMetrics.CUTOFF).map(String::valueOf).toList();
    }

    private static float[][] gaussian(Random random, int count) {
        float[][] vectors = new float[count][DIMENSION];
        for (float[] vector : vectors) {
            for (int j = 0; j < DIMENSION; j++) {
                vector[j] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }
}
