package dev.paper2code.retrieval;

import ai.djl.engine.Engine;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.encoding.CheckpointEncoders;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reference ranking for search tests, computed without any index: the checkpoint's own model and
 * tokenizer, loaded here, embed each repository and the query one at a time (no padding), and the
 * repositories are sorted by cosine (equal scores by key, as search breaks ties).
 */
public final class ModelRanking implements AutoCloseable {
    /** A repository and its cosine to the query. */
    public record Scored(String repository, double score) {
    }

    private final ContrastiveModel model;
    private final TruncatingTokenizer tokenizer;
    private final List<CodeDocument> documents;
    private final List<float[]> codeVectors = new ArrayList<>();

    private ModelRanking(Path checkpoint, List<CodeDocument> documents) throws IOException {
        int maxLength = TokenizerSnapshot.modelMaxLength(checkpoint.resolve("tokenizer")).orElseThrow();
        this.model = ContrastiveModel.load(checkpoint, Engine.getInstance().defaultDevice());
        this.tokenizer = new TruncatingTokenizer(TokenizerSnapshot.read(checkpoint.resolve("tokenizer")), maxLength);
        this.documents = new ArrayList<>(documents);
        this.documents.sort(Comparator.comparing(CodeDocument::key));
        for (CodeDocument document : this.documents) {
            codeVectors.add(dev.paper2code.retrieval.Vectors.unit(model.embedCode(ids(document.codeText()))[0]));
        }
    }

    /** Loads the checkpoint and embeds every document with its code encoder. */
    public static ModelRanking open(Path checkpoint, List<CodeDocument> documents) throws IOException {
        return new ModelRanking(checkpoint, documents);
    }

    public static List<String> of(Path checkpoint, List<CodeDocument> documents, String query) throws IOException {
        try (ModelRanking ranking = open(checkpoint, documents)) {
            return ranking.scored(query).stream().map(Scored::repository).toList();
        }
    }

    /** Every document, best first, for {@code query} embedded by the paper encoder. */
    public List<Scored> scored(String query) {
        float[] q = dev.paper2code.retrieval.Vectors.unit(model.embedPapers(ids(query))[0]);
        List<Scored> scored = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            float[] c = codeVectors.get(d);
            double dot = 0;
            for (int i = 0; i < q.length; i++) {
                dot += q[i] * c[i];
            }
            scored.add(new Scored(documents.get(d).name(), dot));
        }
        // Stable sort: equal scores keep key order.
        scored.sort(Comparator.comparingDouble((Scored s) -> -s.score()));
        return scored;
    }

    private TokenBatch ids(String text) {
        return TokenBatch.pad(List.of(tokenizer.encode(text).inputIds()), model.encoderConfig().padTokenId());
    }

    /**
     * Asserts that {@code served} (repository names, best first) is this ranking, except that two
     * repositories whose reference scores differ by less than 1e-5 (float rounding between batched and
     * single embedding) may swap.
     */
    public static void assertSameRanking(List<Scored> expected, List<String> served, String what) {
        if (expected.size() != served.size()) {
            throw new AssertionError(what + ": " + served.size() + " results, expected " + expected.size());
        }
        List<String> names = expected.stream().map(Scored::repository).toList();
        for (int i = 0; i < served.size(); i++) {
            if (!names.get(i).equals(served.get(i))) {
                int j = names.indexOf(served.get(i));
                if (j < 0 || Math.abs(expected.get(j).score() - expected.get(i).score()) >= 1e-5) {
                    throw new AssertionError(what + ": rank " + (i + 1) + " is " + served.get(i) + ", the model ranks "
                            + expected.get(i) + " there");
                }
            }
        }
    }

    @Override
    public void close() {
        try (tokenizer) {
            model.close();
        }
    }
}
