package dev.paper2code.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
    /** Against sorting every accepted candidate and cutting at k: few distinct scores, a filter, k below and above n. */
    @Test
    void equalsTheFullSortOfTheAcceptedCandidates() {
        Random random = new Random(11);
        for (int trial = 0; trial < 500; trial++) {
            int n = random.nextInt(40);
            int k = random.nextInt(15);
            int[] scores = random.ints(n, 0, 4).toArray();
            boolean[] accepted = new boolean[n];
            for (int i = 0; i < n; i++) {
                accepted[i] = random.nextInt(4) != 0;
            }
            Comparator<Integer> order = Comparator.<Integer>comparingInt(i -> -scores[i]).thenComparingInt(i -> i);
            int[] expected = IntStream.range(0, n).filter(i -> accepted[i]).boxed().sorted(order).limit(k)
                    .mapToInt(Integer::intValue).toArray();
            int[] actual = TopK.best(n, k, i -> accepted[i], (a, b) -> order.compare(a, b) < 0);
            assertArrayEquals(expected, actual, "trial " + trial);
        }
    }
}
