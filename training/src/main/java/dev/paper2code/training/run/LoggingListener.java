package dev.paper2code.training.run;

import dev.paper2code.retrieval.evaluation.Metric;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.history.TrainingHistory;
import dev.paper2code.training.listener.RunContext;
import dev.paper2code.training.listener.RunOutcome;
import dev.paper2code.training.listener.StepResult;
import dev.paper2code.training.listener.TrainingListener;
import dev.paper2code.training.events.ProgressEvents;
import org.jboss.logging.Logger;

/** The run's log lines: what it trains on, a step line every {@code logEverySteps}, one line per epoch, the end. */
final class LoggingListener implements TrainingListener {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class);

    private final int logEverySteps;

    LoggingListener(int logEverySteps) {
        this.logEverySteps = Math.max(1, logEverySteps);
    }

    @Override
    public void onRunStart(RunContext run) {
        LOG.infof("Run %s: %d train / %d val pairs, %d epochs of batch %d on %s, %d steps in all%s", run.runId(),
                run.trainPairs(), run.valPairs(), run.settings().numEpochs(), run.settings().batchSize(), run.device(),
                run.totalSteps(), run.resumedAfterEpoch() == 0 ? ""
                        : ", resuming after epoch " + run.resumedAfterEpoch() + " from " + run.settings().resumeFrom());
    }

    @Override
    public void onStep(RunContext run, StepResult step) {
        if (step.step() % logEverySteps == 0) {
            LOG.infof("Epoch %d step %d/%d - loss %.4f, lr %.2e, grad norm %.3f", step.epoch(), step.step(),
                    run.totalSteps(), step.loss(), step.learningRate(), step.gradientNorm());
        }
    }

    @Override
    public void onEpochEnd(RunContext run, EpochResult result, TrainingHistory history) {
        LOG.infof("Epoch %d/%d - Train Loss: %.4f, Val Loss: %.4f, Recall@1: %.3f, Recall@5: %.3f, Recall@10: %.3f, "
                        + "MRR@10: %.3f (%.1f pairs/s, %.1f s)", result.epoch(), run.settings().numEpochs(),
                result.trainLoss(), result.valLoss(), result.metric(Metric.RECALL_AT_1), result.metric(Metric.RECALL_AT_5),
                result.metric(Metric.RECALL_AT_10), result.metric(Metric.MRR_AT_10), result.pairsPerSecond(),
                result.seconds());
        if (result.leftOutPairs() > 0) {
            LOG.warnf("Epoch %d left out %d train pairs: each one's paper or repository was in every batch already",
                    result.epoch(), result.leftOutPairs());
        }
    }

    @Override
    public void onRunEnd(RunContext run, RunOutcome outcome) {
        LOG.infof("Run %s %s after %d steps; best %s", run.runId(), outcome.description(), outcome.step(),
                ProgressEvents.bestValues(run, outcome));
    }
}
