package dev.paper2code.retrieval.index;

import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * How the HNSW graph is built and searched.
 *
 * @param maxConnections neighbours per node (Lucene's M)
 * @param beamWidth      candidates considered while inserting (Lucene's beam width)
 * @param candidates     nearest neighbours a query collects before the top k are taken (like
 *                       OpenSearch's {@code num_candidates}); more buys recall with time
 * @param ramBufferMb    IndexWriter RAM buffer: larger builds fewer, larger segments
 * @param buildThreads   threads a large upsert adds documents from: IndexWriter writes concurrent
 *                       additions into separate segments, so their graphs are built side by side
 */
public record HnswOptions(int maxConnections, int beamWidth, int candidates, double ramBufferMb, int buildThreads) {
    /**
     * M 32, beam 200, 400 candidates: recall@10 0.992 against exact search on 100k random unit vectors
     * of dimension 128 (HnswRecallTest), where Lucene's M 16 / beam 100 / 100 candidates gave 0.68.
     */
    public static final HnswOptions DEFAULTS = new HnswOptions(32, 200, 400, 256,
            Runtime.getRuntime().availableProcessors());

    public HnswOptions {
        if (maxConnections < 2 || maxConnections > 512) {
            throw new IllegalArgumentException("max connections must be in [2, 512], not " + maxConnections);
        }
        if (beamWidth < 1 || beamWidth > 3200) {
            throw new IllegalArgumentException("beam width must be in [1, 3200], not " + beamWidth);
        }
        if (candidates < 1 || candidates > 10_000) {
            throw new IllegalArgumentException("candidates must be in [1, 10000], not " + candidates);
        }
        if (buildThreads < 1 || buildThreads > 256) {
            throw new IllegalArgumentException("build threads must be in [1, 256], not " + buildThreads);
        }
    }

    /** These options built on {@code threads} threads. */
    public HnswOptions withBuildThreads(int threads) {
        return new HnswOptions(maxConnections, beamWidth, candidates, ramBufferMb, threads);
    }

    /** Lucene's default codec with the HNSW graph built with these connections and beam width. */
    public Codec codec() {
        return codec(null);
    }

    /**
     * The same codec, whose merges insert vectors into the merged graph from {@link #buildThreads}
     * threads of {@code mergeWorkers} (one thread, the merging one, when null).
     */
    public Codec codec(ExecutorService mergeWorkers) {
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return mergeWorkers == null
                        ? new Lucene99HnswVectorsFormat(maxConnections, beamWidth)
                        : new Lucene99HnswVectorsFormat(maxConnections, beamWidth, buildThreads, mergeWorkers);
            }
        };
    }
}
