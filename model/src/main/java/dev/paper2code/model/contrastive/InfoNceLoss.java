package dev.paper2code.model.contrastive;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import dev.paper2code.model.encoder.Scalars;

/**
 * InfoNCE with in-batch negatives: cosine similarities of every paper with every code embedding,
 * divided by the temperature, and cross-entropy against the diagonal (paper i belongs to code i). The
 * symmetric variant averages the paper-to-code and code-to-paper directions. With a learnable
 * temperature the third prediction is the logit scale (ln 1/t), clamped to at most ln 100, as CLIP.
 *
 * <p>Code embeddings past the papers' count are extra negatives (mined hard negatives, as
 * sentence-transformers' MultipleNegativesRankingLoss takes them): they join every paper's
 * denominator; the code-to-paper direction is over the matching codes only, since an extra negative
 * belongs to no paper of the batch.
 *
 * <p>Labels are implicit, so {@link #evaluate} ignores its label list.
 */
public final class InfoNceLoss extends Loss {
    public static final float MAX_LOGIT_SCALE = (float) Math.log(100);

    private final float temperature;
    private final boolean symmetric;

    public InfoNceLoss(float temperature, boolean symmetric) {
        super(symmetric ? "SymmetricInfoNCE" : "InfoNCE");
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        this.temperature = temperature;
        this.symmetric = symmetric;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = similarities(predictions);
        NDArray loss = crossEntropyOnDiagonal(logits);
        if (!symmetric) {
            return loss;
        }
        long papers = logits.getShape().get(0);
        NDArray matching = logits.getShape().get(1) == papers ? logits : logits.get(":, :{}", papers);
        return loss.add(crossEntropyOnDiagonal(matching.transpose())).div(Scalars.of(loss, 2f));
    }

    /** Cosine similarity matrix [papers, codes] divided by the (fixed or learned) temperature. */
    public NDArray similarities(NDList predictions) {
        NDArray papers = normalize(predictions.get(0));
        NDArray codes = normalize(predictions.get(1));
        NDArray cosine = papers.matMul(codes.transpose());
        if (predictions.size() > 2) {
            NDArray scale = predictions.get(2).clip(Float.NEGATIVE_INFINITY, MAX_LOGIT_SCALE);
            scale.attach(cosine.getManager()); // derived from a parameter: would otherwise live as long as the model
            return cosine.mul(scale.exp());
        }
        return cosine.div(Scalars.of(cosine, temperature));
    }

    private static NDArray normalize(NDArray embeddings) {
        // As torch.nn.functional.normalize: x / max(||x||, 1e-12).
        NDArray norms = embeddings.norm(new int[] {1}, true);
        return embeddings.div(norms.maximum(Scalars.of(norms, 1e-12f)));
    }

    /** Row i's target is column i; columns past the rows' count are negatives of every row. */
    private static NDArray crossEntropyOnDiagonal(NDArray logits) {
        int rows = (int) logits.getShape().get(0);
        int columns = (int) logits.getShape().get(1);
        NDArray targets = rows == columns ? logits.getManager().eye(rows)
                : logits.getManager().eye(rows, columns, 0, logits.getDataType());
        NDArray diagonal = logits.logSoftmax(1).mul(targets).sum(new int[] {1});
        return diagonal.mean().neg();
    }
}
