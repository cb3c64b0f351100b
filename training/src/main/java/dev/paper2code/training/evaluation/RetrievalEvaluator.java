package dev.paper2code.training.evaluation;

import dev.paper2code.retrieval.evaluation.Metric;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.retrieval.evaluation.CodeSearchMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation as sentence-transformers' InformationRetrievalEvaluator does it: the val split's distinct
 * papers are the queries, its distinct repositories the corpus, a paper's repositories its relevant
 * documents. It owns the primary metric that selects the best model, with its direction, and the val
 * loss over the batches; the ranking metrics (Recall@1/5/10, MRR@10, NDCG@10) are computed where
 * search's evaluation computes them ({@link CodeSearchMetrics}), over the val split's repositories.
 */
public final class RetrievalEvaluator {
    private final Metric primary;

    public RetrievalEvaluator(Metric primary) {
        this.primary = primary;
    }

    public Metric primaryMetric() {
        return primary;
    }

    /** What one validation found: mean InfoNCE loss over batches of two or more, and the retrieval metrics. */
    public record Validation(double loss, Map<String, Double> metrics, long pairs) {
        /** The value of {@code metric} in this validation, NaN when it could not be computed. */
        public double value(Metric metric) {
            return metric == Metric.VAL_LOSS ? loss : metrics.getOrDefault(metric.key(), Double.NaN);
        }
    }

    /** Embeds every batch once (loss and embeddings from one forward pass) and ranks the whole corpus. */
    public Validation evaluate(ContrastiveTrainer trainer, Iterator<List<TokenizedPair>> batches) {
        int padId = trainer.model().encoderConfig().padTokenId();
        Map<String, Integer> paperIndex = new HashMap<>();
        Map<String, Integer> codeIndex = new HashMap<>();
        List<float[]> paperEmbeddings = new ArrayList<>();
        List<float[]> codeEmbeddings = new ArrayList<>();
        List<Set<Integer>> relevant = new ArrayList<>();
        double lossSum = 0;
        long lossBatches = 0;
        long pairs = 0;
        while (batches.hasNext()) {
            List<TokenizedPair> batch = batches.next();
            ContrastiveTrainer.Evaluation evaluation = trainer.evaluate(
                    TokenBatch.pad(batch.stream().map(TokenizedPair::paperInputIds).toList(), padId),
                    TokenBatch.pad(batch.stream().map(TokenizedPair::codeInputIds).toList(), padId));
            if (batch.size() > 1) { // a batch of one has no negatives: its loss is 0 and says nothing
                lossSum += evaluation.loss();
                lossBatches++;
            }
            for (int i = 0; i < batch.size(); i++) {
                TokenizedPair pair = batch.get(i);
                int p = paperIndex.computeIfAbsent(pair.paperId(), id -> paperEmbeddings.size());
                if (p == paperEmbeddings.size()) {
                    paperEmbeddings.add(evaluation.paperEmbeddings()[i]);
                    relevant.add(new HashSet<>());
                }
                int c = codeIndex.computeIfAbsent(pair.repository(), id -> codeEmbeddings.size());
                if (c == codeEmbeddings.size()) {
                    codeEmbeddings.add(evaluation.codeEmbeddings()[i]);
                }
                relevant.get(p).add(c);
            }
            pairs += batch.size();
        }
        if (pairs == 0) {
            return new Validation(Double.NaN, Map.of(), 0);
        }
        Map<String, Double> metrics = new java.util.LinkedHashMap<>(CodeSearchMetrics.compute(CodeSearchMetrics.rank(
                paperEmbeddings.toArray(float[][]::new), codeEmbeddings.toArray(float[][]::new), relevant)));
        metrics.remove("queries"); // the val papers: the history and events count pairs instead
        return new Validation(lossBatches == 0 ? Double.NaN : lossSum / lossBatches, metrics, pairs);
    }
}
