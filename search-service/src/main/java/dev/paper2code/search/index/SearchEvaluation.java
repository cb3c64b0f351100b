package dev.paper2code.search.index;

import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.retrieval.ServingIndex;
import dev.paper2code.retrieval.ZeroShotBaseline;
import dev.paper2code.retrieval.corpus.Corpus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The evaluation of each index that comes to serve: every system (trained, BM25, hybrid, and the start
 * model zero-shot when {@code search.baseline-model-dir} names it) on the same val papers and corpus,
 * kept for {@code /search/evaluation} and published as SEARCH_EVALUATED.
 */
final class SearchEvaluation implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SearchIndexes.class); // the index's log lines, one category

    private final Optional<String> baselineModelDir;
    private final AtomicReference<SearchIndexes.Evaluation> latest = new AtomicReference<>();
    private volatile Consumer<TrainingEvent> events = event -> { };
    private ZeroShotBaseline zeroShot;
    private int zeroShotMaxLength;
    private int zeroShotFailedFor = -1;

    SearchEvaluation(Optional<String> baselineModelDir) {
        this.baselineModelDir = baselineModelDir;
    }

    void onEvent(Consumer<TrainingEvent> events) {
        this.events = events;
    }

    Optional<SearchIndexes.Evaluation> latest() {
        return Optional.ofNullable(latest.get());
    }

    /** Evaluates {@code index} on {@code valPapers}; a failure is logged, and the index serves regardless. */
    void evaluate(ServingIndex index, Corpus corpus, Set<String> valPapers, String method) {
        if (Thread.currentThread().isInterrupted()) { // the service stops (during a merge, say): no model is started
            LOG.infof("Search evaluation of run %s skipped: shutting down", index.checkpoint().runId());
            return;
        }
        try {
            Map<String, Map<String, Double>> comparison = index.compare(corpus, valPapers,
                    zeroShot(index.checkpoint().maxLength()));
            Map<String, Double> metrics = new LinkedHashMap<>(comparison.get(ServingIndex.TRAINED));
            metrics.put("repositories", (double) index.size());
            SearchIndexes.Evaluation result = new SearchIndexes.Evaluation(index.checkpoint().runId(),
                    index.checkpoint().epoch(), index.checkpoint().path(), index.checkpoint().fingerprint(), metrics,
                    comparison, Instant.now());
            latest.set(result);
            LOG.infof("Search evaluation of run %s epoch %s over all %d repositories: %s", result.runId(),
                    result.epoch(), index.size(), comparison);
            // On the wire: the trained model's metrics as before, each baseline's as "<system>/<metric>".
            Map<String, Double> values = new LinkedHashMap<>(metrics);
            comparison.forEach((system, scores) -> {
                if (!system.equals(ServingIndex.TRAINED)) {
                    scores.forEach((metric, value) -> values.put(system + "/" + metric, value));
                }
            });
            events.accept(new TrainingEvent.SearchEvaluated(result.runId(), result.epoch(), result.checkpoint(), values,
                    method));
        } catch (RuntimeException e) {
            LOG.warnf("Search evaluation failed: %s", e.getMessage());
        }
    }

    /**
     * The start model for the zero-shot row, opened once (and again for another max length); null when
     * {@code search.baseline-model-dir} is not set or cannot be opened (logged: the other rows still come).
     */
    private synchronized ZeroShotBaseline zeroShot(int maxLength) {
        if (baselineModelDir.isEmpty() || zeroShotFailedFor == maxLength) {
            return null;
        }
        if (zeroShot != null && zeroShotMaxLength == maxLength) {
            return zeroShot;
        }
        if (zeroShot != null) {
            zeroShot.close();
            zeroShot = null;
        }
        try {
            zeroShot = ZeroShotBaseline.open(Path.of(baselineModelDir.get()), maxLength);
            zeroShotMaxLength = maxLength;
        } catch (IOException | RuntimeException e) {
            zeroShotFailedFor = maxLength; // said once, not at every evaluation
            LOG.warnf("No zero-shot row: the start model %s cannot be opened: %s", baselineModelDir.get(),
                    e.getMessage());
        }
        return zeroShot;
    }

    /** Call once no evaluation runs (the builder has stopped): the zero-shot model's native memory goes. */
    @Override
    public synchronized void close() {
        if (zeroShot != null) {
            zeroShot.close();
            zeroShot = null;
        }
    }
}
