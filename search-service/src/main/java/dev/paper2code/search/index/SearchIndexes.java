package dev.paper2code.search.index;

import dev.paper2code.retrieval.SearchMethod;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.contracts.SealedDirectory;
import dev.paper2code.retrieval.ServingIndex;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.index.HnswOptions;
import dev.paper2code.search.SearchConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import dev.paper2code.contracts.Directories;
import org.jboss.logging.Logger;

/**
 * The index that serves, and the ones being built. A build (a promoted checkpoint) runs on one builder
 * thread ({@link LatestOnlyExecutor}) into a new directory under {@code search.index-root}; only when it
 * is complete does the serving reference ({@link IndexReference}) switch to it, so a query sees the old
 * index or the new one, never half of one, and a build that fails (checksums, a broken file) leaves the
 * old one serving. Each new index is evaluated ({@link SearchEvaluation}).
 *
 * <p>The corpus changes under the follower thread; {@link #applyPair} and the switch take one lock, so
 * a repository that arrives during a build is in the new index too (the switch first syncs the new
 * index with the corpus).
 */
@ApplicationScoped
public class SearchIndexes {
    private static final Logger LOG = Logger.getLogger(SearchIndexes.class);

    @Inject
    SearchConfig config;

    @Inject
    MeterRegistry meters;

    private final Corpus corpus = new Corpus();
    private final Set<String> valPapers = ConcurrentHashMap.newKeySet();
    private final Object switchLock = new Object();
    private final IndexReference serving = new IndexReference();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private final LatestOnlyExecutor<BuildRequest> builder = new LatestOnlyExecutor<>("search-index-builder", this::build);
    private SearchEvaluation evaluation;

    @PostConstruct
    void init() {
        evaluation = new SearchEvaluation(config.baselineModelDir());
    }

    /**
     * The evaluation of the serving checkpoint: {@code metrics} of the trained model (exact search), and
     * {@code comparison} of every system on the same val papers and corpus ({@code trained}, {@code bm25},
     * {@code hybrid}, and {@code zero-shot} when {@code search.baseline-model-dir} names the start model);
     * {@code fingerprint} names the checkpoint, so a reader can tell a stale evaluation.
     */
    public record Evaluation(String runId, Integer epoch, String checkpoint, String fingerprint,
                             Map<String, Double> metrics, Map<String, Map<String, Double>> comparison, Instant at) {
    }

    /**
     * What serves now, for status and health. {@code buildSeconds}: model load, embedding and index;
     * {@code secondsFromEvent}: from the promotion event (or the start's request) to serving, queue
     * included; {@code lastFailure}: why the newest build failed, if it did.
     */
    public record Status(String runId, Integer epoch, String checkpoint, String fingerprint, int repositories, int papers,
                         String method, Instant builtAt, double buildSeconds, double secondsFromEvent,
                         String indexDirectory, String lastFailure, int skippedRepositories) {
    }

    /** A query against whatever serves now; empty when no model has been trained yet. */
    public interface Query<T> {
        T run(ServingIndex index, Corpus corpus) throws IOException;
    }

    public <T> Optional<T> query(Query<T> query) throws IOException {
        return serving.withCurrent(generation -> query.run(generation.index, corpus));
    }

    public SearchMethod defaultMethod() {
        return config.exact() ? SearchMethod.EXACT : SearchMethod.HNSW;
    }

    public void onEvent(Consumer<TrainingEvent> events) {
        evaluation.onEvent(events);
    }

    /** A record of the pairs topic ({@code pair} null: a tombstone). */
    public void applyPair(String pairId, TextPair pair) {
        synchronized (switchLock) {
            Corpus.Change change = corpus.apply(pairId, pair);
            IndexReference.Generation generation = serving.peek();
            if (!change.isEmpty() && generation != null) {
                try {
                    generation.index.apply(change);
                } catch (IOException | RuntimeException e) {
                    // The repository is in the corpus; the next build or sync embeds it.
                    LOG.warnf("Could not add %s to the serving index: %s", change, e.getMessage());
                }
            }
        }
    }

    public void addValPaper(String paperId) {
        valPapers.add(paperId);
    }

    /**
     * Queues a build from {@code checkpoint}; {@code reason} is for the log. Requests coalesce: when
     * several arrive while a build runs, only the newest is built.
     */
    public void rebuild(Path checkpoint, String reason, Instant requestedAt) {
        builder.submit(new BuildRequest(checkpoint, reason, requestedAt));
    }

    /** {@code requestedAt}: when the event that asked for it happened (the trainer's clock), or now. */
    private record BuildRequest(Path checkpoint, String reason, Instant requestedAt) {
    }

    /** A build's directory under {@code search.index-root}: {@code index-<epoch millis>}. */
    static final java.util.regex.Pattern INDEX_DIRECTORY = java.util.regex.Pattern.compile("index-[0-9]+");

    /**
     * Removes the index directories a killed search-service left under {@code indexRoot}: every start
     * builds its index anew, so any there before this process built one is a leftover (they stayed
     * forever). Call before the first build.
     */
    public static List<Path> removeLeftoverIndexes(Path indexRoot) throws IOException {
        return Directories.removeLeftovers(indexRoot, INDEX_DIRECTORY.asMatchPredicate());
    }

    private void build(BuildRequest request) {
        Path checkpoint = request.checkpoint();
        Path root = Path.of(config.checkpointRoot());
        Path directory = Path.of(config.indexRoot()).resolve("index-" + System.currentTimeMillis());
        long start = System.nanoTime();
        try {
            Path real = insideRoot(root, checkpoint);
            IndexReference.Generation current = serving.peek();
            if (current != null && SealedDirectory.isSealed(real)
                    && current.index.checkpoint().fingerprint().equals(SealedDirectory.fingerprint(real))) {
                LOG.infof("%s already serves; no rebuild", real);
                return;
            }
            LOG.infof("Building the search index from %s (%s): %d repositories", real, request.reason(),
                    corpus.repositoryCount());
            HnswOptions options = new HnswOptions(config.hnsw().maxConnections(), config.hnsw().beamWidth(),
                    config.hnsw().candidates(), HnswOptions.DEFAULTS.ramBufferMb(),
                    config.hnsw().buildThreads().orElse(HnswOptions.DEFAULTS.buildThreads()));
            ServingIndex built = ServingIndex.build(real, corpus, Files.createDirectories(directory), options);
            IndexReference.Generation next;
            synchronized (switchLock) {
                built.syncWith(corpus);
                next = new IndexReference.Generation(built, (System.nanoTime() - start) / 1e9,
                        Duration.between(request.requestedAt(), Instant.now()).toMillis() / 1e3);
                serving.swap(next);
            }
            lastFailure.set(null);
            Timer.builder("search_index_build").register(meters).record(Duration.ofNanos(System.nanoTime() - start));
            LOG.infof("Search index serving: run %s epoch %s, %d repositories, built in %.1f s, %.1f s after the event (%s)",
                    built.checkpoint().runId(), built.checkpoint().epoch(), built.size(), next.buildSeconds,
                    next.secondsFromRequest, directory);
            if (!built.skipped().isEmpty()) {
                LOG.warnf("%d repositories were left out of the index (each logged above; /search/status counts them)",
                        built.skipped().size());
            }
            if (next.acquire()) { // held while it is merged and evaluated: a newer build may retire it meanwhile
                try {
                    if (config.hnsw().mergeAfterServing()) {
                        built.mergeIntoOneGraph();
                    }
                    evaluation.evaluate(built, corpus, Set.copyOf(valPapers), defaultMethod().label());
                } finally {
                    next.release();
                }
            }
        } catch (IOException | RuntimeException e) {
            lastFailure.set(checkpoint + ": " + e.getMessage());
            IndexReference.Generation current = serving.peek();
            LOG.errorf("Search index from %s not built, %s: %s", checkpoint, current == null ? "nothing serves"
                    : "run " + current.index.checkpoint().runId() + " epoch " + current.index.checkpoint().epoch()
                    + " keeps serving", e.getMessage());
            try {
                if (Files.exists(directory)) {
                    Directories.deleteRecursively(directory);
                }
            } catch (IOException cleanup) {
                LOG.warnf("Could not remove %s: %s", directory, cleanup.getMessage());
            }
        }
    }

    /** The real path of {@code checkpoint}, which must lie inside {@code root} (a topic is not trusted with paths). */
    static Path insideRoot(Path root, Path checkpoint) throws IOException {
        Path realRoot = root.toRealPath();
        Path real = checkpoint.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw new IOException(checkpoint + " is outside the checkpoint root " + realRoot + "; refused");
        }
        return real;
    }

    public Optional<Evaluation> evaluation() {
        return evaluation.latest();
    }

    public Optional<Status> status() {
        IndexReference.Generation generation = serving.peek();
        if (generation == null) {
            return Optional.empty();
        }
        ServingIndex index = generation.index;
        return Optional.of(new Status(index.checkpoint().runId(), index.checkpoint().epoch(), index.checkpoint().path(),
                index.checkpoint().fingerprint(), index.size(), corpus.paperCount(), defaultMethod().label(),
                generation.builtAt, generation.buildSeconds, generation.secondsFromRequest,
                index.directory().toString(), lastFailure.get(), index.skipped().size()));
    }

    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    public Corpus corpus() {
        return corpus;
    }

    @PreDestroy
    void close() {
        // The builder may be inside the zero-shot model's native forward: wait before closing it.
        builder.shutdown(Duration.ofSeconds(30));
        evaluation.close();
        serving.swap(null);
    }
}
