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
 * tokenizer, loaded here, embed the query and each repository one at a time; repositories are sorted
 * by cosine (ties by key, as search breaks them).
 */
public final class ModelRanking {
    /** A repository and its cosine to the query. */
    public record Scored(String repository, double score) {
    }

    private ModelRanking() {
    }

    public static List<String> of(Path checkpoint, List<CodeDocument> documents, String query) throws IOException {
        return scored(checkpoint, documents, query).stream().map(Scored::repository).toList();
    }

    public static List<Scored> scored(Path checkpoint, List<CodeDocument> documents, String query) throws IOException {
        int maxLength = TokenizerSnapshot.modelMaxLength(checkpoint.resolve("tokenizer")).orElseThrow();
        try (ContrastiveModel model = ContrastiveModel.load(checkpoint, Engine.getInstance().defaultDevice());
             TruncatingTokenizer tokenizer = new TruncatingTokenizer(
                     TokenizerSnapshot.read(checkpoint.resolve("tokenizer")), maxLength)) {
            int pad = model.encoderConfig().padTokenId();
            float[] q = CheckpointEncoders.normalize(
                    model.embedPapers(TokenBatch.pad(List.of(tokenizer.encode(query).inputIds()), pad))[0]);
            List<CodeDocument> ordered = new ArrayList<>(documents);
            ordered.sort(Comparator.comparing(CodeDocument::key));
            List<Scored> scored = new ArrayList<>();
            for (CodeDocument document : ordered) {
                float[] c = CheckpointEncoders.normalize(model.embedCode(
                        TokenBatch.pad(List.of(tokenizer.encode(document.codeText()).inputIds()), pad))[0]);
                double dot = 0;
                for (int i = 0; i < q.length; i++) {
                    dot += q[i] * c[i];
                }
                scored.add(new Scored(document.name(), dot));
            }
            // Stable sort: equal scores keep key order.
            scored.sort(Comparator.comparingDouble((Scored s) -> -s.score()));
            return scored;
        }
    }
}
