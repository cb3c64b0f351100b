package dev.paper2code.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code trainer.*} in application.properties, or TRAINER_* in the environment. */
@ConfigMapping(prefix = "trainer")
public interface TrainerConfig {
    /** Start a run with these settings when the service starts (the local pipeline and the compose file do). */
    @WithDefault("false")
    boolean autoStart();

    /**
     * An auto-started run waits until the train topic holds records and has not grown for this long,
     * so that it trains on the whole initial load rather than on what the tokenizer has done so far.
     */
    @WithDefault("10s")
    java.time.Duration autoStartQuietPeriod();

    /** Optimizer steps per batch-loss event and progress log line. */
    @WithDefault("10")
    int logEverySteps();

    Run run();

    Topics topics();

    /** Defaults of a run; a REST request can override each of them. */
    interface Run {
        @WithDefault("8")
        int batchSize();

        @WithDefault("3")
        int numEpochs();

        @WithDefault("2e-5")
        float learningRate();

        /** Fraction of all steps spent warming the learning rate up linearly before it decays linearly to 0. */
        @WithDefault("0.1")
        float warmupRatio();

        @WithDefault("0.07")
        float temperature();

        @WithDefault("0.01")
        float weightDecay();

        @WithDefault("1.0")
        float maxGradNorm();

        @WithDefault("42")
        long seed();

        @WithDefault("false")
        boolean sharedEncoder();

        @WithDefault("false")
        boolean symmetricLoss();

        @WithDefault("false")
        boolean learnableTemperature();

        /** {@code val_loss} (lower is better, the seed's choice), or {@code recall@1}, {@code recall@5}, {@code recall@10}, {@code mrr@10}. */
        @WithDefault("val_loss")
        String bestMetric();

        /** Where best_model, checkpoint_epoch_N and training_history.json go. */
        @WithDefault("checkpoints")
        String checkpointDir();

        /** A checkpoint directory to continue from (e.g. checkpoints/checkpoint_epoch_1). */
        Optional<String> resumeFrom();

        /**
         * A Hugging Face model directory both encoders start from (e.g. a microsoft/codebert-base
         * snapshot). Without it, a small RoBERTa is trained from scratch on the tokenizer's vocabulary.
         */
        Optional<String> modelDir();

        /** The tokenizer snapshot the records were tokenized with; copied into checkpoints for embed. */
        Optional<String> tokenizerPath();

        /** Records held for shuffling at a time; bounds memory whatever the topic's size. */
        @WithDefault("4096")
        int shuffleBuffer();
    }

    interface Topics {
        @WithDefault(dev.paper2code.contracts.Topics.TOKENIZED_TRAIN)
        String train();

        @WithDefault(dev.paper2code.contracts.Topics.TOKENIZED_VAL)
        String val();

        @WithDefault(dev.paper2code.contracts.Topics.TRAINING_PROGRESS)
        String progress();
    }
}
