package dev.paper2code.trainer.run;

import dev.paper2code.training.listener.StepTimerListener;
import dev.paper2code.training.run.TrainingConfig;
import dev.paper2code.training.run.TrainingRun;
import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.paper2code.contracts.Topics;
import dev.paper2code.trainer.TrainerConfig;
import dev.paper2code.training.checkpoint.CheckpointStore;
import dev.paper2code.training.checkpoint.RunDirectories;
import dev.paper2code.training.checkpoint.TrainerState;
import dev.paper2code.retrieval.evaluation.Metric;
import dev.paper2code.training.events.ProgressPublisher;
import dev.paper2code.training.history.EpochResult;
import dev.paper2code.trainer.settings.PathRoots;
import dev.paper2code.training.settings.RunSettings;
import java.io.IOException;
import java.nio.file.Path;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/** Owns the runs of this service: one active run at a time, each on its own thread. */
@ApplicationScoped
public class TrainerService {
    private static final Logger LOG = Logger.getLogger(TrainerService.class);

    @Inject
    TrainerConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    MeterRegistry meters;

    private final Map<String, TrainingRun> runs = new LinkedHashMap<>();
    /**
     * Every run on one long-lived thread. glibc gives each new thread that allocates natively a malloc
     * arena of its own, and PyTorch's allocations stay in them: with a thread per run, RSS grew run
     * after run (1 GB to 4.5 GB over ~30 runs; docs/BENCHMARKS.md, "runs").
     */
    private final java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors.newSingleThreadExecutor(
            task -> {
                Thread thread = new Thread(task, RUN_THREAD);
                thread.setDaemon(true);
                return thread;
            });
    public static final String RUN_THREAD = "trainer-runs";
    private volatile TrainingRun current;
    private ProgressPublisher publisher;
    private Device device;
    private volatile boolean shuttingDown;

    void onStart(@Observes StartupEvent event) {
        Path checkpoints = Path.of(configuredSettings().checkpointDir());
        try {
            RunDirectories.removeLeftovers(checkpoints).forEach(leftover ->
                    LOG.infof("Removed %s, left by a write that a stop cut short", leftover));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not remove what cut-short writes left under %s: %s", checkpoints, e.getMessage());
        }
        device = Engine.getInstance().defaultDevice();
        LOG.infof("DJL %s engine, training on %s", Engine.getInstance().getEngineName(), device);
        publisher = new ProgressPublisher(kafkaConfig, config.topics().progress());
        Gauge.builder("trainer.batch.loss", () -> Optional.ofNullable(current).map(TrainingRun::lastBatchLoss).orElse(Double.NaN))
                .description("loss of the last training batch").register(meters);
        Gauge.builder("trainer.consumer.lag", () -> Optional.ofNullable(current).map(TrainingRun::consumerLag).orElse(0L))
                .description("records of the current topic pass not read yet").register(meters);
        Gauge.builder("trainer.records.skipped", () -> Optional.ofNullable(current).map(TrainingRun::skippedRecords).orElse(0L))
                .description("records of the current run's topics left out as invalid").register(meters);
        Gauge.builder("trainer.val.loss", () -> lastEpoch().map(EpochResult::valLoss).orElse(Double.NaN))
                .register(meters);
        Gauge.builder("trainer.recall.at1", () -> lastEpoch().map(r -> r.metric(Metric.RECALL_AT_1)).orElse(Double.NaN))
                .register(meters);
        Gauge.builder("trainer.pairs.per.second", () -> lastEpoch().map(EpochResult::pairsPerSecond).orElse(Double.NaN))
                .register(meters);
        if (config.follow().enabled()) {
            Thread follower = new Thread(new FollowLoop(this, config.follow(), kafkaConfig, () -> shuttingDown),
                    "trainer-follow");
            follower.setDaemon(true);
            follower.start();
        }
        if (config.autoStart()) {
            Thread waiter = new Thread(this::autoStart, "trainer-auto-start");
            waiter.setDaemon(true);
            waiter.start();
        }
    }

    private void autoStart() {
        try {
            long pairs = TopicSettling.await(kafkaConfig, config.topics().train(), config.autoStartQuietPeriod(),
                    () -> shuttingDown);
            if (pairs > 0) {
                LOG.infof("%s has settled (%d offsets, transaction markers included): starting or resuming a run",
                        config.topics().train(), pairs);
                startOrResume();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not auto-start a run: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        shuttingDown = true;
        TrainingRun run = current;
        if (run != null && run.isActive()) {
            LOG.infof("Stopping run %s for shutdown; it resumes from its last checkpoint", run.runId());
            run.requestStop("shutdown");
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    private Optional<EpochResult> lastEpoch() {
        TrainingRun run = current;
        if (run == null || run.history().isEmpty()) {
            return Optional.empty();
        }
        List<EpochResult> history = run.history();
        return Optional.of(history.get(history.size() - 1));
    }

    /** Starts a run with the configured defaults overridden by {@code overrides} (snake_case setting names). */
    public synchronized TrainingRun start(Map<String, Object> overrides) {
        return start(overrides, "manual");
    }

    /** @param trigger why the run starts: {@code manual}, {@code auto-start}, {@code follow: N new pairs} */
    public synchronized TrainingRun start(Map<String, Object> overrides, String trigger) {
        RunSettings defaults = configuredSettings();
        return launch("run-" + UUID.randomUUID().toString().substring(0, 8), defaults.with(overrides), defaults, trigger);
    }

    /** The configured run settings (trainer.run.*), for the follow loop. */
    public RunSettings defaults() {
        return configuredSettings();
    }

    /**
     * What auto-start does: a run that a restart interrupted (killed, or stopped for a shutdown) goes on
     * under its own id, with its own settings, from its newest checkpoint, writing into its own
     * directory; without one, the configured run starts. A fresh run never writes where another did.
     */
    public synchronized TrainingRun startOrResume() {
        RunSettings defaults = configuredSettings();
        Optional<RunDirectories.Interrupted> interrupted =
                RunDirectories.findInterrupted(Path.of(defaults.checkpointDir()));
        if (interrupted.isPresent()) {
            Path checkpoint = interrupted.get().lastCheckpoint();
            try {
                TrainerState state = CheckpointStore.verifyAndRead(checkpoint);
                LOG.infof("Resuming run %s, interrupted after epoch %d, from %s", interrupted.get().runId(),
                        state.epoch(), checkpoint);
                return launch(interrupted.get().runId(),
                        state.settings().with(Map.of("resume_from", checkpoint.toString())), defaults, "resume");
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Cannot resume run %s from %s (%s); starting a new run", interrupted.get().runId(),
                        checkpoint, e.getMessage());
            }
        }
        return start(Map.of(), "auto-start");
    }

    private TrainingRun launch(String runId, RunSettings settings, RunSettings defaults, String trigger) {
        if (current != null && current.isActive()) {
            throw new IllegalStateException("run " + current.runId() + " is still " + current.state()
                    + "; stop it first");
        }
        pathRoots(defaults).check(settings);
        // The progress topic keeps its one partition (Topics.TRAINING_PROGRESS): every run's events in one order.
        config.topics().ensureExist(kafkaConfig, List.of(Topics.TRAINING_PROGRESS.named(config.topics().progress())));
        TrainingConfig training = TrainingConfig.of(settings).logEvery(config.logEverySteps());
        if (meters != null) {
            training = training.addTrainingListeners(new StepTimerListener(meters));
        }
        TrainingRun run = TrainingRun.overTopics(runId, training, kafkaConfig, device).onEvent(publisher)
                .triggeredBy(trigger);
        runs.put(runId, run);
        current = run;
        runner.execute(run);
        return run;
    }

    /** trainer.paths.*, each defaulting to the configured default of its setting. */
    private PathRoots pathRoots(RunSettings defaults) {
        TrainerConfig.Paths paths = config.paths();
        return new PathRoots(
                Path.of(paths.checkpointRoot().orElse(defaults.checkpointDir())),
                Path.of(paths.modelRoot().orElse(Optional.ofNullable(defaults.modelDir()).orElse("models"))),
                Path.of(paths.tokenizerRoot().orElse(Optional.ofNullable(defaults.tokenizerPath()).orElse("tokenizer"))));
    }

    /**
     * The declared defaults overridden by {@code trainer.run.*} (application.properties, TRAINER_RUN_*
     * in the environment, -D). A key no setting declares is a typo, named here rather than ignored.
     */
    private RunSettings configuredSettings() {
        Set<String> declared = RunSettings.declarations().stream().map(RunSettings.Declaration::property)
                .collect(Collectors.toSet());
        for (String key : config.run().keySet()) {
            if (!declared.contains("trainer.run." + key.replace('.', '-').replace('_', '-'))) {
                throw new IllegalArgumentException("unknown setting trainer.run." + key + "; known: " + declared);
            }
        }
        var source = ConfigProvider.getConfig();
        return RunSettings.fromProperties(property -> source.getOptionalValue(property, String.class));
    }

    public synchronized Optional<TrainingRun> find(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    /** The newest run that finished all its epochs. */
    public synchronized Optional<TrainingRun> latestFinished() {
        return runs.values().stream().filter(r -> r.state() == TrainingRun.State.FINISHED)
                .reduce((first, second) -> second);
    }

    public Optional<TrainingRun> current() {
        return Optional.ofNullable(current);
    }

    public synchronized List<TrainingRun> all() {
        return List.copyOf(runs.values());
    }
}
