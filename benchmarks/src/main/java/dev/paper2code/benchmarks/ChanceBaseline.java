package dev.paper2code.benchmarks;

import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chance row of the quality table: what a ranking at random scores, computed, not sampled. */
final class ChanceBaseline {
    private ChanceBaseline() {
    }

    /**
     * The expected metrics of a uniformly random ranking, exactly: a paper with r relevant of N
     * repositories has its first relevant one at position i with probability
     * C(N-i, r-1) / C(N, r) (hypergeometric), and position i holds a relevant one with probability r/N.
     */
    static Map<String, Double> metrics(Corpus corpus, List<String> papers) {
        int n = corpus.repositoryCount();
        double[] sums = new double[5];
        int queries = 0;
        for (String id : papers) {
            int r = corpus.paper(id).orElseThrow().repositoryKeys().size();
            double firstAt = 0;
            double recall1 = 0;
            double recall5 = 0;
            double recall10 = 0;
            double mrr = 0;
            for (int i = 1; i <= CodeSearchMetrics.CUTOFF && i <= n - r + 1; i++) {
                double p = Math.exp(logChoose(n - i, r - 1) - logChoose(n, r));
                firstAt += p;
                recall1 += i <= 1 ? p : 0;
                recall5 += i <= 5 ? p : 0;
                recall10 += p;
                mrr += p / i;
            }
            double dcg = 0;
            double ideal = 0;
            for (int i = 1; i <= CodeSearchMetrics.CUTOFF; i++) {
                dcg += ((double) r / n) / (Math.log(i + 1) / Math.log(2));
                ideal += i <= r ? 1 / (Math.log(i + 1) / Math.log(2)) : 0;
            }
            sums[0] += recall1;
            sums[1] += recall5;
            sums[2] += recall10;
            sums[3] += mrr;
            sums[4] += dcg / ideal;
            queries++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < CodeSearchMetrics.KEYS.size(); i++) {
            metrics.put(CodeSearchMetrics.KEYS.get(i), sums[i] / queries);
        }
        return metrics;
    }

    private static double logChoose(int n, int k) {
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Math.log(n - k + i) - Math.log(i);
        }
        return sum;
    }
}
