package dev.paper2code.training.data;

import dev.paper2code.contracts.TokenizedPair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a stream of pairs into shuffled batches without false negatives: no batch holds two pairs with
 * the same repository (the real data links one repository to up to 7 papers) or the same paper (a paper
 * links up to 3 repositories), since either would make a true match count as a negative.
 *
 * <p>Memory is bounded by three times {@code bufferSize} pairs, whatever the data: a shuffle window of
 * {@code bufferSize} pairs (as tf.data's), at most {@code bufferSize / batchSize} open batches, and at
 * most {@code bufferSize} deferred pairs. A pair that collides with every open batch while no new one
 * may open is deferred and tried again first when the next window drains.
 *
 * <p>Some pairs cannot be placed at all: a paper with 5,000 repositories shares one paper with each of
 * them, so at most one of them fits in each batch. What happens to those depends on the {@link Leftovers}
 * policy: training {@linkplain Leftovers#LEAVE_OUT leaves them out} of this pass, counted (another
 * epoch's shuffle trains others of them), and never forms a batch of one (its InfoNCE loss is 0: no
 * negative); validation {@linkplain Leftovers#KEEP keeps} every pair, in smaller batches where it must.
 *
 * <p>Push ({@link #add}, {@link #finish}) or pull ({@link #batches}): the training loop pulls.
 */
public final class NoDuplicatesBatchAssembler {
    /** What becomes of pairs that no batch of two or more can take. */
    public enum Leftovers {
        /** Left out of this pass and counted ({@link #leftOut()}); no batch of one. For training. */
        LEAVE_OUT,
        /** Emitted anyway, alone if need be: every pair is seen. For validation. */
        KEEP
    }

    private final int batchSize;
    private final int bufferSize;
    private final int maxOpenBatches;
    private final Random random;
    private final Leftovers leftovers;
    private final Consumer<List<TokenizedPair>> sink;
    private final List<TokenizedPair> window = new ArrayList<>();
    private final List<OpenBatch> open = new ArrayList<>();
    private final List<TokenizedPair> deferred = new ArrayList<>();
    private long leftOut;

    private static final class OpenBatch {
        final List<TokenizedPair> pairs = new ArrayList<>();
        final Set<String> repositories = new HashSet<>();
        final Set<String> papers = new HashSet<>();

        boolean accepts(TokenizedPair pair) {
            return !repositories.contains(pair.repository()) && !papers.contains(pair.paperId());
        }

        void add(TokenizedPair pair) {
            pairs.add(pair);
            repositories.add(pair.repository());
            papers.add(pair.paperId());
        }
    }

    /** @param random null for the topic's order (validation), a seeded generator for training */
    public NoDuplicatesBatchAssembler(int batchSize, int bufferSize, Random random, Leftovers leftovers,
            Consumer<List<TokenizedPair>> sink) {
        if (batchSize < 2 || bufferSize < batchSize) {
            throw new IllegalArgumentException("batch size must be at least 2 and the buffer at least one batch, got "
                    + batchSize + " and " + bufferSize);
        }
        this.batchSize = batchSize;
        this.bufferSize = bufferSize;
        this.maxOpenBatches = Math.max(2, bufferSize / batchSize);
        this.random = random;
        this.leftovers = leftovers;
        this.sink = sink;
    }

    public void add(TokenizedPair pair) {
        window.add(pair);
        if (window.size() >= bufferSize) {
            drainWindow();
        }
    }

    /** Emits everything still held that may be emitted; with {@link Leftovers#LEAVE_OUT} the rest is counted. */
    public void finish() {
        drainWindow();
        // The end of the pass: nothing more will come, and the deferred pairs are held already, so they
        // may open as many batches as they need.
        List<TokenizedPair> last = new ArrayList<>(deferred);
        deferred.clear();
        for (TokenizedPair pair : last) {
            place(pair, true);
        }
        for (OpenBatch batch : open) {
            emitOrLeaveOut(batch.pairs);
        }
        open.clear();
    }

    /** Pairs of this pass that no batch took (only with {@link Leftovers#LEAVE_OUT}). */
    public long leftOut() {
        return leftOut;
    }

    /** Pairs held right now (window, open batches, deferred): what the assembler costs in memory. */
    public int held() {
        return window.size() + deferred.size() + open.stream().mapToInt(batch -> batch.pairs.size()).sum();
    }

    private void drainWindow() {
        if (random != null) {
            Collections.shuffle(window, random);
        }
        List<TokenizedPair> candidates = new ArrayList<>(deferred.size() + window.size());
        candidates.addAll(deferred); // waited longest: first to be tried
        candidates.addAll(window);
        deferred.clear();
        window.clear();
        for (TokenizedPair pair : candidates) {
            place(pair, false);
        }
    }

    private void place(TokenizedPair pair, boolean unbounded) {
        OpenBatch target = null;
        for (OpenBatch batch : open) {
            if (batch.accepts(pair)) {
                target = batch;
                break;
            }
        }
        if (target == null) {
            if (!unbounded && open.size() >= maxOpenBatches) {
                if (deferred.size() < bufferSize) {
                    deferred.add(pair);
                } else {
                    emitOrLeaveOut(List.of(pair));
                }
                return;
            }
            target = new OpenBatch();
            open.add(target);
        }
        target.add(pair);
        if (target.pairs.size() == batchSize) {
            open.remove(target);
            sink.accept(target.pairs);
        }
    }

    private void emitOrLeaveOut(List<TokenizedPair> batch) {
        if (batch.size() >= 2 || leftovers == Leftovers.KEEP) {
            sink.accept(batch);
        } else {
            leftOut += batch.size();
        }
    }

    /** Pulled batches, with the count of pairs left out so far. */
    public interface BatchIterator extends Iterator<List<TokenizedPair>> {
        /** Pairs of the pass no batch took, final once {@link #hasNext()} answered false. */
        long leftOut();
    }

    /**
     * The batches of {@code pairs}, pulled: each call takes pairs from the source only until a batch is
     * complete, so memory stays bounded as the push API's; the sequence is the push API's.
     */
    public static BatchIterator batches(Iterator<TokenizedPair> pairs, int batchSize, int bufferSize, Random random,
            Leftovers leftovers) {
        Deque<List<TokenizedPair>> ready = new ArrayDeque<>();
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(batchSize, bufferSize, random,
                leftovers, ready::add);
        return new BatchIterator() {
            private boolean finished;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && pairs.hasNext()) {
                    assembler.add(pairs.next());
                }
                if (ready.isEmpty() && !finished) {
                    finished = true;
                    assembler.finish();
                }
                return !ready.isEmpty();
            }

            @Override
            public List<TokenizedPair> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            @Override
            public long leftOut() {
                return assembler.leftOut();
            }
        };
    }
}
