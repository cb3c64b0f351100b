package dev.paper2code.trainer;

import dev.paper2code.training.settings.RunSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;

/**
 * {@code trainer.*} in application.properties, or TRAINER_* in the environment. The run settings
 * ({@code trainer.run.*}) are declared in {@link RunSettings}, which
 * reads them itself, so that one declaration serves configuration, REST and validation.
 */
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

    /**
     * {@code trainer.run.*} as written: the run settings' defaults. They are declared, typed and
     * validated in {@link RunSettings}; this map only lets the
     * configuration carry them (and lets the service name an unknown key at start).
     */
    Map<String, String> run();

    TopicsConfig topics();

    Paths paths();

    Follow follow();

    Dashboard dashboard();

    /** The dashboard at {@code /}. */
    interface Dashboard {
        /** Progress events the dashboard keeps to replay to a page that opens (the newest ones). */
        @WithDefault("100000")
        int maxEvents();

        /**
         * search-service's base URL (e.g. {@code http://search:8084}); when set, the dashboard gets a search
         * box whose queries this service forwards ({@code GET /dashboard/search}), so the page needs no
         * cross-origin access.
         */
        java.util.Optional<String> searchUrl();
    }

    /**
     * Continuous training: after a run, watch the train topic; when enough new pairs arrived, start a
     * warm-start run from the champion by itself, and promote its model only if it beats the champion
     * on the current val split.
     */
    interface Follow {
        /** Off by default; on in docker-compose and {@code bin/run-local --follow}. */
        @WithDefault("false")
        boolean enabled();

        /** New records on the train topic, beyond those the last finished run trained on, that start a follow-up run. */
        @WithDefault("20")
        long minNewPairs();

        /** At most one follow-up run starts per this interval. */
        @WithDefault("5m")
        java.time.Duration minInterval();

        /** How often the train topic's end offsets are looked at. */
        @WithDefault("10s")
        java.time.Duration checkInterval();

        /** A follow-up run fine-tunes an already trained model: a few epochs, ... */
        @WithDefault("2")
        int numEpochs();

        /** ... a lower learning rate than training from scratch ... */
        @WithDefault("1e-4")
        float learningRate();

        /** ... and no warmup (the weights are trained; Adam's moments start fresh either way). */
        @WithDefault("0")
        float warmupRatio();
    }

    Api api();

    /**
     * The directories runs may use ({@link dev.paper2code.trainer.settings.PathRoots}). Each defaults
     * to the configured default of its setting, so that a REST caller can go below it but nowhere else.
     */
    interface Paths {
        /** checkpoint_dir and resume_from must lie here; default: trainer.run.checkpoint-dir. */
        java.util.Optional<String> checkpointRoot();

        /** model_dir must lie here; default: trainer.run.model-dir, else ./models. */
        java.util.Optional<String> modelRoot();

        /** tokenizer_path must lie here or under the model root; default: trainer.run.tokenizer-path, else ./tokenizer. */
        java.util.Optional<String> tokenizerRoot();
    }

    /** Who may start and stop runs over REST. */
    interface Api {
        /**
         * The key a caller must send ({@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}) to
         * POST /runs and POST /runs/{id}/stop; from a Secret in Kubernetes, TRAINER_API_KEY in compose.
         */
        java.util.Optional<String> key();

        /**
         * Refuse those calls when no key is set (fail closed): on in compose and Kubernetes, where the
         * port is reachable beyond loopback; off for the local run, which listens on 127.0.0.1 only.
         */
        @WithDefault("false")
        boolean requireKey();
    }

    /** The topics the trainer reads, and the progress topic it writes (created per {@link dev.paper2code.contracts.TopicCreation}). */
    interface TopicsConfig extends dev.paper2code.contracts.TopicCreation {
        @WithDefault(dev.paper2code.contracts.TopicNames.TOKENIZED_TRAIN)
        String train();

        @WithDefault(dev.paper2code.contracts.TopicNames.TOKENIZED_VAL)
        String val();

        @WithDefault(dev.paper2code.contracts.TopicNames.TRAINING_PROGRESS)
        String progress();
    }
}
