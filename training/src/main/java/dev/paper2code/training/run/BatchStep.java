package dev.paper2code.training.run;

import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.model.contrastive.TokenBatch;
import dev.paper2code.model.contrastive.TrainStep;
import dev.paper2code.training.data.PairSource;
import dev.paper2code.training.listener.RunContext;
import dev.paper2code.training.negatives.HardNegativeMiner;
import dev.paper2code.training.negatives.HardNegatives;
import dev.paper2code.training.settings.RunSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/** What the loop does with one batch, and with the train split before an epoch when hard negatives are on. */
final class BatchStep {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class); // the run's log lines, one category

    private BatchStep() {
    }

    /**
     * One optimizer step on {@code batch}: its papers against its repositories and, past the batch's own
     * rows, the hard negatives of every paper in it. A loss that is not finite fails the run.
     */
    static TrainStep train(RunContext run, List<TokenizedPair> batch, HardNegatives negatives, float learningRate,
            long stepNumber) {
        int padId = run.model().encoderConfig().padTokenId();
        List<int[]> code = new ArrayList<>(batch.stream().map(TokenizedPair::codeInputIds).toList());
        if (negatives != null) {
            code.addAll(negatives.extraCodeFor(batch));
        }
        TrainStep result = run.trainer().step(
                TokenBatch.pad(batch.stream().map(TokenizedPair::paperInputIds).toList(), padId),
                TokenBatch.pad(code, padId), learningRate, run.settings().maxGradNorm());
        if (!Float.isFinite(result.loss())) {
            throw new IllegalStateException("the loss became " + result.loss() + " at step " + stepNumber
                    + "; lower learning_rate or check the data");
        }
        return result;
    }

    /**
     * This epoch's hard negatives, mined with the model as it stands (BM25 over token ids while a
     * scratch model has not trained a step): a pass over the train split and one embedding per paper
     * and repository.
     */
    static HardNegatives mineHardNegatives(RunContext run, PairSource train, int epoch, boolean noStepYet,
            BooleanSupplier stop) {
        RunSettings settings = run.settings();
        long started = System.nanoTime();
        boolean untrained = noStepYet && settings.modelDir() == null && settings.warmStartFrom() == null;
        HardNegatives negatives;
        try (PairSource.Pass pass = train.open(stop)) {
            negatives = HardNegativeMiner.mine(pass, settings.hardNegatives(), untrained ? null : run.model());
        }
        LOG.infof("Epoch %d: %d hard negatives for each of %d train papers among %d repositories, ranked by %s (%.1f s)",
                epoch, settings.hardNegatives(), negatives.papers(), negatives.repositories(), negatives.rankedBy(),
                (System.nanoTime() - started) / 1e9);
        return negatives;
    }
}
