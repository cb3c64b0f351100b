package dev.paper2code.trainer.data;

import dev.paper2code.contracts.TokenizedPair;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns a stream of pairs into shuffled batches without false negatives: no batch holds two pairs with
 * the same repository (the real data links one repository to up to 7 papers) or the same paper (a paper
 * links up to 3 repositories), since either would make a true match count as a negative.
 *
 * <p>Memory is bounded by {@code bufferSize} pairs: pairs are shuffled within a window of that many
 * (a shuffle buffer, as tf.data's), so a topic larger than memory streams through. A pair that
 * collides with every open batch waits for the next one; what is left at the end of the pass forms the
 * last, possibly smaller, batches.
 *
 * <p>Push ({@link #add}, {@link #finish}) or pull ({@link #batches}): the training loop pulls.
 */
public final class NoDuplicatesBatchAssembler {
    private final int batchSize;
    private final int bufferSize;
    private final Random random;
    private final Consumer<List<TokenizedPair>> sink;
    private final List<TokenizedPair> window = new ArrayList<>();
    private final List<OpenBatch> open = new ArrayList<>();

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
    public NoDuplicatesBatchAssembler(int batchSize, int bufferSize, Random random, Consumer<List<TokenizedPair>> sink) {
        this.batchSize = batchSize;
        this.bufferSize = bufferSize;
        this.random = random;
        this.sink = sink;
    }

    public void add(TokenizedPair pair) {
        window.add(pair);
        if (window.size() >= bufferSize) {
            drainWindow();
        }
    }

    /** Emits everything still held. */
    public void finish() {
        drainWindow();
        for (OpenBatch batch : open) {
            sink.accept(batch.pairs);
        }
        open.clear();
    }

    private void drainWindow() {
        if (random != null) {
            Collections.shuffle(window, random);
        }
        for (TokenizedPair pair : window) {
            OpenBatch target = null;
            for (OpenBatch batch : open) {
                if (batch.accepts(pair)) {
                    target = batch;
                    break;
                }
            }
            if (target == null) {
                target = new OpenBatch();
                open.add(target);
            }
            target.add(pair);
            if (target.pairs.size() == batchSize) {
                open.remove(target);
                sink.accept(target.pairs);
            }
        }
        window.clear();
    }

    /**
     * The batches of {@code pairs}, pulled: each call takes pairs from the source only until a batch is
     * complete, so memory stays bounded by the shuffle buffer; the sequence is the push API's.
     */
    public static Iterator<List<TokenizedPair>> batches(Iterator<TokenizedPair> pairs, int batchSize, int bufferSize,
            Random random) {
        Deque<List<TokenizedPair>> ready = new ArrayDeque<>();
        NoDuplicatesBatchAssembler assembler = new NoDuplicatesBatchAssembler(batchSize, bufferSize, random, ready::add);
        return new Iterator<>() {
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
        };
    }
}
