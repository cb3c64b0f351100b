package dev.paper2code.training.run;

import dev.paper2code.model.contrastive.SavedModelLayout;
import ai.djl.Device;
import dev.paper2code.model.contrastive.ContrastiveModel;
import dev.paper2code.model.contrastive.ContrastiveOptions;
import dev.paper2code.model.contrastive.ContrastiveTrainer;
import dev.paper2code.model.encoder.EncoderConfig;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.training.checkpoint.CheckpointStore;
import dev.paper2code.training.checkpoint.TrainerState;
import dev.paper2code.training.data.PairValidator;
import dev.paper2code.training.data.SkippedRecords;
import dev.paper2code.training.data.TrainingData;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.training.listener.RunContext;
import dev.paper2code.training.settings.RunSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Everything before the first step: one counting pass over each split (the step count for the
 * learning-rate schedule, and the check that both splits and a resumed checkpoint share one tokenizer),
 * then the model (resumed, pretrained, or from scratch) and its trainer with the optimizer state.
 * Closing it frees the model's native memory.
 */
public final class PreparedRun implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TrainingRun.class); // the run's log lines, one category

    private final RunContext context;
    private final List<EpochResult> resumedHistory;
    private final long resumedStep;

    private PreparedRun(RunContext context, List<EpochResult> resumedHistory, long resumedStep) {
        this.context = context;
        this.resumedHistory = resumedHistory;
        this.resumedStep = resumedStep;
    }

    public RunContext context() {
        return context;
    }

    public List<EpochResult> resumedHistory() {
        return resumedHistory;
    }

    public long resumedStep() {
        return resumedStep;
    }

    static PreparedRun prepare(String runId, RunSettings settings, TrainingData data, Device device,
            BooleanSupplier stop) throws IOException {
        TokenizerSnapshot tokenizer = settings.tokenizerPath() == null ? null
                : TokenizerSnapshot.read(Path.of(settings.tokenizerPath()));
        TrainerState resumed = settings.resumeFrom() == null ? null
                : CheckpointStore.verifyAndRead(Path.of(settings.resumeFrom()));
        TrainerState warmStart = settings.warmStartFrom() == null ? null
                : CheckpointStore.verifyAndRead(Path.of(settings.warmStartFrom()));
        SkippedRecords skipped = new SkippedRecords();
        data.validateWith(validator(settings, tokenizer), skipped);
        DataSummary train = DataSummary.of(data.train(), stop);
        DataSummary val = DataSummary.of(data.val(), stop);
        if (stop.getAsBoolean()) {
            throw new StoppedBeforeTraining(); // the passes ended early: their counts say nothing
        }
        long superseded = train.dropOlderVersions(data.train()) + val.dropOlderVersions(data.val());
        long read = train.count + val.count + skipped.count();
        if (skipped.count() > settings.maxInvalidShare() * read) {
            throw new IllegalStateException(skipped.count() + " of " + read + " records cannot be trained on, more than "
                    + "max_invalid_share " + settings.maxInvalidShare() + " allows: " + skipped.byReason() + "; "
                    + skipped.examples());
        }
        if (train.count == 0) {
            throw new IllegalStateException("topic " + data.train().name() + " holds no tokenized pairs to train on");
        }
        if (val.count > 0 && !val.fingerprint.equals(train.fingerprint)) {
            throw new IllegalStateException("train and val records come from different tokenizers ("
                    + train.fingerprint + " vs " + val.fingerprint + ")");
        }
        for (TrainerState start : java.util.Arrays.asList(resumed, warmStart)) {
            if (start != null && !start.tokenizerFingerprint().equals(train.fingerprint)) {
                throw new IllegalStateException("checkpoint of run " + start.runId() + " was trained on tokenizer "
                        + start.tokenizerFingerprint() + " but the topic holds " + train.fingerprint);
            }
        }
        requireSameTokenizer(settings, tokenizer, train);
        ContrastiveModel model = openModel(settings, resumed, tokenizer, train.maxLength, device);
        ContrastiveTrainer trainer = new ContrastiveTrainer(model, settings.trainingOptions(model.encoderConfig()));
        try {
            if (resumed != null) {
                trainer.loadOptimizer(Path.of(settings.resumeFrom()));
            }
        } catch (IOException | RuntimeException e) {
            trainer.close();
            model.close();
            throw e;
        }
        long totalSteps = resumed != null ? resumed.totalSteps() : plannedSteps(settings, data, train.count, stop);
        RunContext context = new RunContext(runId, settings, device, model, trainer, tokenizer, train.fingerprint, train.maxLength,
                train.count, val.count, totalSteps, resumed == null ? 0 : resumed.epoch(), skipped, superseded);
        return new PreparedRun(context, resumed == null ? List.of() : resumed.history(),
                resumed == null ? 0 : resumed.step());
    }

    /**
     * The steps of every epoch, counted from the batches each epoch's pass actually forms (one counting
     * pass per epoch, no training): where papers or repositories repeat, batches come out smaller or
     * pairs are left out, and {@code ceil(pairs / batch)} would plan a schedule the run does not follow
     * (a paper with 5,000 repositories once made a run go on to step 410 of 184 at learning rate 0).
     */
    private static long plannedSteps(RunSettings settings, TrainingData data, long trainPairs, BooleanSupplier stop) {
        long steps = 0;
        long fewest = Long.MAX_VALUE;
        long most = 0;
        long leftOut = 0;
        for (int epoch = 1; epoch <= settings.numEpochs(); epoch++) {
            TrainingData.EpochPlan plan = data.plan(epoch, stop);
            steps += plan.steps();
            fewest = Math.min(fewest, plan.steps());
            most = Math.max(most, plan.steps());
            leftOut = Math.max(leftOut, plan.leftOut());
        }
        if (steps == 0 && !stop.getAsBoolean()) {
            throw new IllegalStateException("the " + trainPairs + " train pairs form no batch of two or more pairs "
                    + "without a repeated paper or repository: nothing to train on (in-batch negatives need two)");
        }
        LOG.infof("Planned %d steps: %d epochs of %s batches of up to %d%s", steps, settings.numEpochs(),
                fewest == most ? String.valueOf(most) : fewest + "-" + most, settings.batchSize(),
                leftOut == 0 ? "" : "; up to " + leftOut + " of " + trainPairs + " train pairs per epoch left out, "
                        + "their paper or repository being in every batch already (a paper or repository with more "
                        + "pairs than an epoch has batches); each epoch's shuffle trains others of them");
        return steps;
    }

    /**
     * What the model the run will train can take, known before any record is read: the vocabulary and
     * positions of the checkpoint or pretrained model, or, from scratch, the tokenizer's vocabulary and
     * each record's own max_length (the model is then sized from the valid records).
     */
    private static PairValidator validator(RunSettings settings, TokenizerSnapshot tokenizer) throws IOException {
        String checkpoint = settings.resumeFrom() != null ? settings.resumeFrom() : settings.warmStartFrom();
        EncoderConfig config = checkpoint != null
                ? SavedModelLayout.encoderConfig(Path.of(checkpoint))
                : settings.modelDir() != null ? EncoderConfig.read(Path.of(settings.modelDir())) : null;
        if (config != null) {
            return new PairValidator(config.vocabSize(), config.maxSequenceLength());
        }
        return new PairValidator(tokenizer == null ? Integer.MAX_VALUE : tokenizer.vocabularySize(), 0);
    }

    /**
     * The records must come from the tokenizer of the model that will read them: ids are rows of the
     * model's embedding matrix, so records of another vocabulary train on the wrong tokens without a
     * word (a run fine-tuning all-MiniLM-L6-v2 on records of a learned WordPiece vocabulary reached
     * Recall@10 0.381 instead of 0.698). Compared by fingerprint (definition and max length) with the
     * model directory's tokenizer, when it has one, and with {@code tokenizer_path}, which checkpoints copy.
     */
    private static void requireSameTokenizer(RunSettings settings, TokenizerSnapshot tokenizer, DataSummary train)
            throws IOException {
        if (settings.modelDir() != null && settings.resumeFrom() == null && settings.warmStartFrom() == null) {
            Path modelDir = Path.of(settings.modelDir());
            if (TokenizerSnapshot.exists(modelDir)) {
                String model = TokenizerSnapshot.read(modelDir).fingerprint(train.maxLength);
                if (!model.equals(train.fingerprint)) {
                    throw new IllegalStateException("the records of " + settings.trainTopic() + " were tokenized by "
                            + "another tokenizer than the model's: records " + train.fingerprint + ", model_dir "
                            + modelDir + " " + model + " (max length " + train.maxLength + "); point the "
                            + "tokenizer-service at " + modelDir + " (TOKENIZER_PATH) and tokenize into fresh topics");
                }
            } else {
                LOG.warnf("%s holds no tokenizer files: cannot check that the records were tokenized for this model",
                        modelDir);
            }
        }
        if (tokenizer != null && !tokenizer.fingerprint(train.maxLength).equals(train.fingerprint)) {
            throw new IllegalStateException("tokenizer_path " + settings.tokenizerPath() + " is not the tokenizer the "
                    + "records of " + settings.trainTopic() + " were made with: records " + train.fingerprint
                    + ", tokenizer_path " + tokenizer.fingerprint(train.maxLength) + " (max length " + train.maxLength + ")");
        }
    }

    private static ContrastiveModel openModel(RunSettings settings, TrainerState resumed, TokenizerSnapshot tokenizer,
            int maxLength, Device device) throws IOException {
        ContrastiveOptions options = settings.contrastiveOptions();
        if (resumed != null) {
            return ContrastiveModel.load(Path.of(settings.resumeFrom()), device);
        }
        if (settings.warmStartFrom() != null) {
            LOG.infof("Warm start from %s", settings.warmStartFrom());
            return ContrastiveModel.load(Path.of(settings.warmStartFrom()), device);
        }
        if (settings.modelDir() != null) {
            return ContrastiveModel.fromPretrained(Path.of(settings.modelDir()), options, device);
        }
        if (tokenizer == null) {
            throw new IllegalArgumentException("training from scratch needs tokenizer_path (for the vocabulary size "
                    + "and padding id); or set model_dir to a Hugging Face model directory");
        }
        EncoderConfig config = EncoderConfig.smallRoberta(tokenizer.vocabularySize(), tokenizer.padTokenId(), maxLength);
        LOG.infof("Training from scratch: %s", config);
        return ContrastiveModel.fromScratch(config, settings.seed(), options, device);
    }

    /** A stop that came while the run was still counting its data: it ends STOPPED, not FAILED. */
    static final class StoppedBeforeTraining extends RuntimeException {
        StoppedBeforeTraining() {
            super("stopped before the first step", null, false, false);
        }
    }

    @Override
    public void close() {
        context.trainer().close();
        context.model().close();
    }
}
