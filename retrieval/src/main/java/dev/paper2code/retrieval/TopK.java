package dev.paper2code.retrieval;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The best {@code k} of {@code n} candidates (indices 0..n-1) under a strict total order, in one scan:
 * each candidate is compared with the worst one kept and, when better, inserted in order. That is
 * O(n) for the usual case of a small k against a large corpus, where sorting every candidate to keep
 * a few made validation at public scale take 27 minutes per epoch (docs/BENCHMARKS.md, Scale). The
 * result equals sorting the accepted candidates by the order and cutting at k. Used by validation's
 * ranking and hard-negative mining.
 */
public final class TopK {
    /** A strict total order on candidate indices: {@code before(a, b)} when {@code a} ranks above {@code b}. */
    @FunctionalInterface
    public interface Order {
        boolean before(int a, int b);
    }

    private TopK() {
    }

    /** The best {@code k} of the candidates {@code include} accepts, best first. */
    public static int[] best(int n, int k, IntPredicate include, Order order) {
        int[] top = new int[Math.max(0, Math.min(k, n))];
        int size = 0;
        for (int c = 0; c < n; c++) {
            if (!include.test(c) || size == top.length && (size == 0 || !order.before(c, top[size - 1]))) {
                continue;
            }
            int at = size == top.length ? size - 1 : size++;
            while (at > 0 && order.before(c, top[at - 1])) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = c;
        }
        return size == top.length ? top : Arrays.copyOf(top, size);
    }
}
