package dev.paper2code.benchmarks;

import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Two systems on the same queries, compared per query: with some 60 val papers a difference of means
 * alone says little. Prints the MRR@10 difference with a 95% paired bootstrap interval (10,000
 * resamples of the queries, seeded) and a two-sided sign test over the queries where they differ.
 */
final class PairedStatistics {
    private static final int RESAMPLES = 10_000;

    private PairedStatistics() {
    }

    static void print(String label, List<CodeSearchMetrics.Ranked> a, List<CodeSearchMetrics.Ranked> b) {
        int n = a.size();
        double[] differences = new double[n];
        int better = 0;
        int worse = 0;
        for (int i = 0; i < n; i++) {
            differences[i] = CodeSearchMetrics.reciprocalRank(a.get(i)) - CodeSearchMetrics.reciprocalRank(b.get(i));
            better += differences[i] > 0 ? 1 : 0;
            worse += differences[i] < 0 ? 1 : 0;
        }
        double mean = mean(differences);
        Random random = new Random(42);
        double[] means = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += differences[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        java.util.Arrays.sort(means);
        System.out.printf(Locale.ROOT, "  %s: MRR@10 difference %+.3f (95%% paired bootstrap %+.3f to %+.3f); "
                        + "better on %d, worse on %d, tied on %d of %d queries; sign test p = %.3f%n", label, mean,
                means[(int) (0.025 * RESAMPLES)], means[(int) (0.975 * RESAMPLES) - 1], better, worse, n - better - worse, n,
                signTest(better, worse));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    /** Two-sided exact binomial test of {@code better} successes in {@code better + worse} trials at p = 1/2. */
    static double signTest(int better, int worse) {
        int trials = better + worse;
        if (trials == 0) {
            return 1;
        }
        int extreme = Math.min(better, worse);
        double tail = 0;
        for (int k = 0; k <= extreme; k++) {
            tail += Math.exp(logChoose(trials, k) - trials * Math.log(2));
        }
        return Math.min(1, 2 * tail);
    }

    private static double logChoose(int n, int k) {
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Math.log(n - k + i) - Math.log(i);
        }
        return sum;
    }
}
