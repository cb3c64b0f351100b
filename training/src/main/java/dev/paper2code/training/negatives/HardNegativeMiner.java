package dev.paper2code.training.negatives;

import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.retrieval.TopK;
import dev.paper2code.retrieval.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Mines hard negatives from the train split, as sentence-transformers' {@code mine_hard_negatives}
 * does offline and DPR with BM25: every train paper is ranked against every train repository, and the
 * {@code perPaper} best that are none of the paper's own become its negatives for one epoch. The ranker
 * is the model being trained (cosine of its paper and code embeddings, no dropout) or, for a model that
 * has not been trained at all yet (a scratch model's first epoch, whose random weights rank at random),
 * BM25 over the records' token ids.
 *
 * <p>Deterministic: papers and repositories in name order, ties broken by name, and the model's
 * forward without dropout, so a run resumed at an epoch boundary mines the negatives the uninterrupted
 * run mined. Holds the train split's distinct papers and repositories (token ids and one embedding
 * each) for the epoch: O(train pairs) memory, and O(papers x repositories) dot products per epoch.
 */
public final class HardNegativeMiner {
    private static final int EMBEDDING_BATCH = 32;

    private HardNegativeMiner() {
    }

    /**
     * A candidate scoring within this share of the paper's own best repository's score is skipped: in
     * data where several repositories implement one paper (or links are missing), the nearest "negatives"
     * are often true matches, and training them apart hurts (sentence-transformers' {@code
     * relative_margin}, 0.05 in its examples).
     */
    public static final double RELATIVE_MARGIN = 0.05;

    /** @param model the ranker, or null for BM25 over token ids */
    public static HardNegatives mine(Iterator<TokenizedPair> train, int perPaper, ContrastiveModel model) {
        return mine(train, perPaper, model, RELATIVE_MARGIN);
    }

    /** @param relativeMargin 0: the top-ranked non-matches, however close to the paper's own */
    public static HardNegatives mine(Iterator<TokenizedPair> train, int perPaper, ContrastiveModel model,
            double relativeMargin) {
        Map<String, int[]> papers = new TreeMap<>();
        Map<String, int[]> code = new TreeMap<>();
        Map<String, Set<String>> repositoriesByPaper = new HashMap<>();
        while (train.hasNext()) {
            TokenizedPair pair = train.next();
            papers.putIfAbsent(pair.paperId(), pair.paperInputIds());
            code.putIfAbsent(pair.repository(), pair.codeInputIds());
            repositoriesByPaper.computeIfAbsent(pair.paperId(), id -> new TreeSet<>()).add(pair.repository());
        }
        List<String> paperIds = new ArrayList<>(papers.keySet());
        List<String> repositories = new ArrayList<>(code.keySet());
        double[][] scores = model == null
                ? bm25(paperIds.stream().map(papers::get).toList(), repositories.stream().map(code::get).toList())
                : cosines(model, paperIds.stream().map(papers::get).toList(), repositories.stream().map(code::get).toList());
        Map<String, List<String>> negatives = new HashMap<>();
        for (int p = 0; p < paperIds.size(); p++) {
            Set<String> own = repositoriesByPaper.get(paperIds.get(p));
            double[] row = scores[p];
            double ownBest = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < repositories.size(); r++) {
                if (own.contains(repositories.get(r))) {
                    ownBest = Math.max(ownBest, row[r]);
                }
            }
            double ceiling = ownBest - relativeMargin * Math.abs(ownBest);
            // The highest-scoring other repositories under the ceiling; equal scores by repository key.
            int[] ranked = TopK.best(repositories.size(), perPaper,
                    r -> !own.contains(repositories.get(r)) && (relativeMargin == 0 || row[r] < ceiling),
                    (a, b) -> {
                        int byScore = Double.compare(-row[a], -row[b]);
                        return byScore != 0 ? byScore < 0 : repositories.get(a).compareTo(repositories.get(b)) < 0;
                    });
            negatives.put(paperIds.get(p), Arrays.stream(ranked).mapToObj(repositories::get).toList());
        }
        return new HardNegatives(negatives, repositoriesByPaper, code, model == null ? "BM25 over token ids" : "the model");
    }

    private static double[][] cosines(ContrastiveModel model, List<int[]> papers, List<int[]> code) {
        float[][] paperVectors = embed(papers, model.encoderConfig().padTokenId(), model::embedPapers);
        float[][] codeVectors = embed(code, model.encoderConfig().padTokenId(), model::embedCode);
        double[][] scores = new double[papers.size()][code.size()];
        for (int p = 0; p < papers.size(); p++) {
            for (int r = 0; r < code.size(); r++) {
                scores[p][r] = Vectors.dot(paperVectors[p], codeVectors[r]);
            }
        }
        return scores;
    }

    /** Unit-length embeddings, {@link #EMBEDDING_BATCH} texts at a time. */
    private static float[][] embed(List<int[]> texts, int padId, java.util.function.Function<TokenBatch, float[][]> encoder) {
        float[][] vectors = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += EMBEDDING_BATCH) {
            int to = Math.min(texts.size(), from + EMBEDDING_BATCH);
            float[][] embedded = encoder.apply(TokenBatch.pad(texts.subList(from, to), padId));
            for (int i = 0; i < embedded.length; i++) {
                vectors[from + i] = Vectors.unit(embedded[i]);
            }
        }
        return vectors;
    }

    /**
     * BM25 (k1 1.2, b 0.75, Lucene's idf {@code ln(1 + (N - n + 0.5) / (n + 0.5))}) of each paper's token
     * ids as the query against each repository's code token ids as the document. Special tokens occur in
     * every document, so their idf is near 0.
     */
    static double[][] bm25(List<int[]> queries, List<int[]> documents) {
        double k1 = 1.2;
        double b = 0.75;
        List<Map<Integer, Integer>> frequencies = new ArrayList<>();
        Map<Integer, Integer> documentFrequency = new HashMap<>();
        double totalLength = 0;
        for (int[] document : documents) {
            Map<Integer, Integer> counts = new HashMap<>();
            for (int id : document) {
                counts.merge(id, 1, Integer::sum);
            }
            counts.keySet().forEach(id -> documentFrequency.merge(id, 1, Integer::sum));
            frequencies.add(counts);
            totalLength += document.length;
        }
        double averageLength = totalLength / Math.max(1, documents.size());
        int n = documents.size();
        double[][] scores = new double[queries.size()][n];
        for (int q = 0; q < queries.size(); q++) {
            Set<Integer> terms = new TreeSet<>();
            for (int id : queries.get(q)) {
                terms.add(id);
            }
            for (int d = 0; d < n; d++) {
                double score = 0;
                double norm = k1 * (1 - b + b * documents.get(d).length / averageLength);
                for (int term : terms) {
                    Integer tf = frequencies.get(d).get(term);
                    if (tf != null) {
                        int df = documentFrequency.get(term);
                        double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                        score += idf * tf * (k1 + 1) / (tf + norm);
                    }
                }
                scores[q][d] = score;
            }
        }
        return scores;
    }
}
