package dev.paper2code.launcher;

import java.util.Map;

/** The trainer-service's environment in a local run: its run settings, as TRAINER_* variables. */
final class TrainerEnvironment {
    /** The local run's data is small: a few new pairs are worth a follow-up run. */
    static final int FOLLOW_MIN_NEW_PAIRS = 5;
    /** Epoch checkpoints a local run keeps (--setting keep_checkpoints=0 keeps all). */
    static final int LOCAL_KEEP_CHECKPOINTS = 2;

    private TrainerEnvironment() {
    }

    static Map<String, String> of(LocalRunOptions options, StartModel start, String bootstrapServers, String searchUrl) {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                "TRAINER_DASHBOARD_SEARCH_URL", searchUrl,
                "TRAINER_AUTO_START", "true",
                "TRAINER_AUTO_START_QUIET_PERIOD", "1s",
                "TRAINER_RUN_CHECKPOINT_DIR", options.checkpoints().toString(),
                "TRAINER_RUN_TOKENIZER_PATH", start.tokenizer().toString()));
        Integer epochs = options.epochs() != null ? options.epochs() : start.scratch() ? StartModel.SCRATCH_EPOCHS : null;
        String learningRate = options.learningRate() != null ? options.learningRate()
                : start.scratch() ? StartModel.SCRATCH_LEARNING_RATE : null;
        if (epochs != null) {
            environment.put("TRAINER_RUN_NUM_EPOCHS", epochs.toString());
        }
        if (learningRate != null) {
            environment.put("TRAINER_RUN_LEARNING_RATE", learningRate);
        }
        if (!start.scratch()) {
            environment.put("TRAINER_RUN_MODEL_DIR", start.modelDir().toString());
        }
        // Each epoch checkpoint of the pretrained encoder is about 0.5 GB (two towers and AdamW's moments):
        // the local run keeps the newest two (best_model always stays) unless told otherwise.
        environment.put("TRAINER_RUN_KEEP_CHECKPOINTS", Integer.toString(LOCAL_KEEP_CHECKPOINTS));
        options.runSettings().forEach((name, value) ->
                environment.put("TRAINER_RUN_" + name.toUpperCase(java.util.Locale.ROOT), value));
        if (options.follow()) {
            environment.putAll(Map.of("TRAINER_FOLLOW_ENABLED", "true",
                    "TRAINER_FOLLOW_MIN_NEW_PAIRS", Integer.toString(FOLLOW_MIN_NEW_PAIRS),
                    "TRAINER_FOLLOW_MIN_INTERVAL", "5s", "TRAINER_FOLLOW_CHECK_INTERVAL", "2s",
                    "TRAINER_FOLLOW_LEARNING_RATE", learningRate != null ? learningRate
                            : StartModel.PRETRAINED_FOLLOW_LEARNING_RATE));
        }
        return environment;
    }
}
