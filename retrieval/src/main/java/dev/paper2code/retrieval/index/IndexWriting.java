package dev.paper2code.retrieval.index;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;

/**
 * A repository index's writer (created empty, BM25 similarity, the HNSW codec, the RAM buffer of
 * {@link HnswOptions}) and the merge workers its codec inserts merged segments' vectors from
 * ({@link HnswOptions#buildThreads} threads; none on one). Closing it closes the writer, then stops
 * the workers; a writer that cannot be opened stops them too.
 */
final class IndexWriting implements AutoCloseable {
    final IndexWriter writer;
    private final ExecutorService mergeWorkers;

    IndexWriting(Directory directory, Analyzer analyzer, HnswOptions options, String name) throws IOException {
        mergeWorkers = options.buildThreads() > 1
                ? Executors.newFixedThreadPool(options.buildThreads(), ParallelSlices.daemonThreads("index-merge-" + name))
                : null;
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setRAMBufferSizeMB(options.ramBufferMb())
                .setSimilarity(Bm25.SIMILARITY)
                .setCodec(options.codec(mergeWorkers));
        try {
            writer = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            stopWorkers();
            throw e;
        }
    }

    private void stopWorkers() {
        if (mergeWorkers != null) {
            mergeWorkers.shutdownNow();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            stopWorkers();
        }
    }
}
