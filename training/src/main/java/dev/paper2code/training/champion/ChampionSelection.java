package dev.paper2code.training.champion;

import ai.djl.Device;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.training.checkpoint.CheckpointStore;
import dev.paper2code.training.checkpoint.RunDirectories;
import dev.paper2code.training.data.TrainingData;
import dev.paper2code.retrieval.evaluation.Metric;
import dev.paper2code.training.evaluation.RetrievalEvaluator;
import dev.paper2code.training.listener.RunContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Champion and challenger: after a run finished, its best model (the challenger) and the serving
 * model ({@code <checkpoint_dir>/champion}) are evaluated on the same val split, as it stands now (it
 * grows with the data, so the metric each recorded when it trained is not comparable), by the run's
 * best_metric. The challenger replaces the champion (the link switches atomically) only when it wins;
 * the first run to get here becomes champion. A run a user stopped gets here with its best epoch so far;
 * a failed run, or one stopped for a shutdown (it resumes and decides when it finishes), never does.
 */
public final class ChampionSelection {
    private static final Logger LOG = Logger.getLogger(ChampionSelection.class);

    private final TrainingData data;
    private final RetrievalEvaluator evaluator;
    private final BooleanSupplier stop;

    public ChampionSelection(TrainingData data, RetrievalEvaluator evaluator, BooleanSupplier stop) {
        this.data = data;
        this.evaluator = evaluator;
        this.stop = stop;
    }

    /** Decides, switches the champion when the challenger wins, and returns the MODEL_PROMOTED / MODEL_KEPT event. */
    public TrainingEvent decide(RunContext run, String trigger) throws IOException {
        Path checkpointDir = Path.of(run.settings().checkpointDir());
        Path challenger = RunDirectories.runDirectory(checkpointDir, run.runId()).resolve(CheckpointStore.BEST).toRealPath();
        Path champion = checkpointDir.resolve(RunDirectories.CHAMPION);
        Metric metric = evaluator.primaryMetric();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("challenger", evaluate(challenger, run.device()).value(metric));
        String why;
        boolean promoted;
        if (!Files.exists(champion)) {
            promoted = true;
            why = "there was no champion";
        } else if (!CheckpointStore.verifyAndRead(champion).tokenizerFingerprint().equals(run.tokenizerFingerprint())) {
            promoted = true;
            why = "the champion was trained on another tokenizer than the topics hold now";
        } else if (champion.toRealPath().equals(challenger)) {
            promoted = false;
            why = "the challenger is the champion";
        } else {
            values.put("champion", evaluate(champion.toRealPath(), run.device()).value(metric));
            promoted = metric.isBetter(values.get("challenger"), values.get("champion"));
            why = promoted ? "the challenger is better" : "the champion is as good or better";
        }
        if (promoted) {
            RunDirectories.linkChampion(checkpointDir, challenger);
        }
        String detail = metric.key() + " on the current val split; " + why + "; trigger: " + trigger;
        LOG.infof("%s run %s: %s %s (%s)", promoted ? "Promoted" : "Kept the champion over", run.runId(), metric.key(),
                values, detail);
        return TrainingEvent.ModelDecision.of(run.runId(), promoted, values, champion.toString(), detail);
    }

    private RetrievalEvaluator.Validation evaluate(Path model, Device device) throws IOException {
        try (ContrastiveModel loaded = ContrastiveModel.load(model, device);
             ContrastiveTrainer trainer = new ContrastiveTrainer(loaded);
             TrainingData.Batches val = data.valBatches(stop)) {
            return evaluator.evaluate(trainer, val.iterator());
        }
    }
}
