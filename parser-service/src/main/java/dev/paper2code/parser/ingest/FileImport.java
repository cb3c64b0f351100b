package dev.paper2code.parser.ingest;

import dev.paper2code.cleaning.CleanedEntry;
import dev.paper2code.cleaning.EntryCleaner;
import dev.paper2code.cleaning.SeedFile;
import dev.paper2code.parser.publishing.OutcomePublisher;
import dev.paper2code.parser.publishing.PublishedIndex;
import dev.paper2code.parser.publishing.Tally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * The import of a {@code paper_code_pairs.json} file, read as a stream and published in transactions of
 * {@code parser.file-chunk} entries: a 300,000-link export neither sits in memory as one tree nor
 * outlives {@code transaction.timeout.ms} as one transaction. A restart after a failed chunk skips what
 * earlier chunks published (the index), so the file is still published once; a file that is not JSON
 * publishes nothing ({@link SeedFile} checks it first).
 */
final class FileImport {
    private static final Logger LOG = Logger.getLogger(ParserWorker.class); // the worker's log lines, one category
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;
    private final PublishedIndex index;
    private final OutcomePublisher publisher;
    private final EntryCleaner cleaner;
    private final int chunkSize;
    private final Tally total = new Tally();

    FileImport(KafkaProducer<String, byte[]> producer, PublishedIndex index, OutcomePublisher publisher,
            EntryCleaner cleaner, int chunkSize) {
        this.producer = producer;
        this.index = index;
        this.publisher = publisher;
        this.cleaner = cleaner;
        this.chunkSize = Math.max(1, chunkSize);
    }

    /** The counts so far, a copy: the import adds to them chunk by chunk. */
    synchronized Tally tally() {
        Tally copy = new Tally();
        copy.add(total);
        return copy;
    }

    void run(Path path) {
        List<CleanedEntry> chunk = new ArrayList<>(chunkSize);
        long[] nextProgress = {System.nanoTime() + PROGRESS_INTERVAL.toNanos()};
        Runnable publishChunk = () -> {
            Tally tally = KafkaTransactions.run(producer, index, () -> publisher.publish(chunk));
            synchronized (this) {
                total.add(tally);
            }
            chunk.clear();
            if (System.nanoTime() > nextProgress[0]) {
                LOG.infof("%s so far: %s", path.getFileName(), tally().oneLine());
                nextProgress[0] = System.nanoTime() + PROGRESS_INTERVAL.toNanos();
            }
        };
        SeedFile.forEach(path, cleaner, entry -> {
            chunk.add(entry);
            if (chunk.size() == chunkSize) {
                publishChunk.run();
            }
        });
        if (!chunk.isEmpty()) {
            publishChunk.run();
        }
        LOG.info(tally().summary(path.getFileName().toString()));
    }
}
