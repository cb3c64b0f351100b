package dev.paper2code.launcher;

import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.contracts.CheckpointLayout;
import dev.paper2code.contracts.Topics;
import dev.paper2code.testkit.LocalKafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded local run: a KRaft broker process on 127.0.0.1, then the services as child processes
 * fed with the sample data, then a report of what arrived on the topics. Everything it started is
 * stopped when it ends, fails, or gets Ctrl-C.
 */
public final class LocalPipeline {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** How long training may go without a progress event (a logged step, an epoch) before the run is failed. */
    private static final Duration TRAINING_STALL_TIMEOUT = Duration.ofMinutes(10);

    private final LocalRunOptions options;
    private final PrintStream out;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final ChildWatch children = new ChildWatch(this::childDied);
    private volatile String childFailure;
    private volatile Thread runner;

    public LocalPipeline(LocalRunOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        LocalPipeline pipeline;
        try {
            var options = LocalPipelineArgs.parse(args, System.out);
            if (options.isEmpty()) {
                return; // --help or --version, printed
            }
            pipeline = new LocalPipeline(options.get(), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Thread hook = new Thread(pipeline::stopAll, "local-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            pipeline.run();
        } catch (Exception e) {
            System.err.println("[launcher] FAILED: " + e.getMessage());
            pipeline.stopAll();
            System.exit(1);
        }
        pipeline.stopAll();
    }

    /** A service died under the run: say so, and end the run rather than wait for what can no longer come. */
    private void childDied(String name, int exitCode) {
        childFailure = name + " exited unexpectedly with code " + exitCode + "; its log is above";
        log(childFailure + ". Stopping everything.");
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Where the running pipeline is, for a check while it still runs (tests). */
    public record Running(String bootstrapServers, String searchUrl, String runId, Path checkpointDir) {
    }

    /** Something to do after training and the search examples, before the services stop. */
    public interface AfterTraining {
        void accept(Running running) throws IOException, InterruptedException;
    }

    private AfterTraining afterTraining = running -> { };

    /** Runs {@code check} after training, with the services still up (then stops them as {@link #run()} does). */
    public LocalRunReport run(AfterTraining check) throws IOException, InterruptedException {
        this.afterTraining = check;
        return run();
    }

    /** Runs the pipeline once and stops everything it started. */
    public LocalRunReport run() throws IOException, InterruptedException {
        runner = Thread.currentThread();
        try {
            return runPipeline();
        } catch (InterruptedException | RuntimeException e) {
            if (childFailure != null) {
                Thread.interrupted(); // clear the interrupt that ended the wait
                throw new IllegalStateException(childFailure, e);
            }
            throw e;
        } finally {
            runner = null;
        }
    }

    private LocalRunReport runPipeline() throws IOException, InterruptedException {
        try {
            if (!Files.isRegularFile(options.input())) {
                throw new IllegalArgumentException("Input file " + options.input() + " not found");
            }
            if (options.fresh()) {
                dev.paper2code.contracts.Directories.deleteRecursively(options.workDir());
            }
            StartModel start = StartModel.resolve(options, this::log);
            start.requireSameAsBefore(options.workDir());
            log("Start model: " + start.description() + "; texts cut at " + start.maxLength() + " tokens");
            log("Starting a Kafka broker (KRaft) on 127.0.0.1, data in " + options.workDir().resolve("kafka"));
            LocalKafkaBroker broker = started(LocalKafkaBroker.start(options.workDir().resolve("kafka"), options.kafkaPort()));
            log("Kafka broker ready at " + broker.bootstrapServers() + " (pid " + broker.pid() + ")");

            ServiceProcess parser = started(ServiceProcess.start("parser", quarkusApp("parser-service"),
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                            "PARSER_INPUT_FILE", options.input().toString()),
                    out, children));
            parser.awaitReady(READY_TIMEOUT);
            log("parser-service ready on http://127.0.0.1:" + parser.httpPort() + " (health: /q/health, metrics: /q/metrics)");

            long pairs = PipelineTopics.count(broker.bootstrapServers(), Topics.PAIRS.name());
            ServiceProcess tokenizer = started(ServiceProcess.start("tokenizer", quarkusApp("tokenizer-service"),
                    Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                            "TOKENIZER_PATH", start.tokenizer().toString(),
                            // A pretrained start uses its model's tokenizer, never one learned into its directory.
                            "TOKENIZER_BUILD_IF_MISSING", Boolean.toString(start.scratch()),
                            "TOKENIZER_MAX_LENGTH", Integer.toString(start.maxLength()),
                            "TOKENIZER_STATE_DIR", options.workDir().resolve("tokenizer-state").toString()),
                    out, children));
            tokenizer.awaitReady(READY_TIMEOUT);
            log("tokenizer-service ready on http://127.0.0.1:" + tokenizer.httpPort() + " (dataset info: /dataset-info)");
            PipelineTopics.awaitTokenized(broker.bootstrapServers(), pairs, READY_TIMEOUT);

            LocalRunReport tokenized = PipelineTopics.report(broker.bootstrapServers());
            TrainingWatcher watcher = started(new TrainingWatcher(broker.bootstrapServers(),
                    PipelineTopics.ensureProgressTopic(broker)));
            // Search starts before training so that it sees the run's promotion.
            Map<String, String> searchEnvironment = new java.util.HashMap<>(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "SEARCH_CHECKPOINT_ROOT", options.checkpoints().toString(),
                    "SEARCH_INDEX_ROOT", options.workDir().resolve("search-index").toString()));
            if (!start.scratch()) {
                // The evaluation's zero-shot row: the start model before any training.
                searchEnvironment.put("SEARCH_BASELINE_MODEL_DIR", start.modelDir().toString());
            }
            JavaRuntime searchRuntime = JavaRuntime.fromEnvironment("SEARCH_JAVA_HOME");
            if (!searchRuntime.equals(JavaRuntime.current())) {
                log("search-service runs on " + searchRuntime.description());
            }
            ServiceProcess search = started(ServiceProcess.start("search", quarkusApp("search-service"), searchRuntime,
                    searchEnvironment, out, children));
            search.awaitStarted(READY_TIMEOUT);
            ServiceProcess trainer = started(ServiceProcess.start("trainer", quarkusApp("trainer-service"),
                    TrainerEnvironment.of(options, start, broker.bootstrapServers(), "http://127.0.0.1:" + search.httpPort()), out, children));
            trainer.awaitReady(READY_TIMEOUT);
            log("trainer-service ready on http://127.0.0.1:" + trainer.httpPort() + " (runs: /runs/current)");
            log("dashboard:       http://127.0.0.1:" + trainer.httpPort() + "/   (API: /q/swagger-ui)");
            TrainingWatcher.Outcome training = watcher.awaitRun(TRAINING_STALL_TIMEOUT,
                    new TrainingProgress(TrainingProgress.stdoutIsTerminal(), out, this::log));
            List<String> followUps = new java.util.ArrayList<>();
            LocalRunReport report = new LocalRunReport(tokenized.pairs(), tokenized.train(), tokenized.val(),
                    tokenized.deadLettersByReason(), training.end() + (training.detail() == null ? "" : " " + training.detail()),
                    training.epochs(), followUps);
            ReportLog.print(report, training.runId(), tokenizer.get("/dataset-info").body(), options.checkpoints(), this::log);
            boolean failed = training.end() == TrainingEvent.Type.RUN_FAILED;
            if (failed && !options.keepRunning() && !options.follow()) {
                throw new IllegalStateException("training failed: " + training.detail());
            }
            boolean champion = java.nio.file.Files.exists(options.checkpoints().resolve(CheckpointLayout.CHAMPION));
            if (!failed && !champion) {
                log("No champion yet (the run ended before a best epoch): search answers 503 until a run's model is promoted.");
            } else if (failed) {
                // The services are fine; the run is not. Whoever asked for them to keep running can fix
                // the cause (publish pairs, POST /runs with other settings) without starting over.
                log("Training failed: " + training.detail() + ". The services keep running: fix the cause, then "
                        + "POST http://127.0.0.1:" + trainer.httpPort() + "/runs or publish new pairs.");
            } else {
                SearchExamples.print(search, options.checkpoints().resolve(CheckpointLayout.CHAMPION),
                        PipelineTopics.valPapers(broker.bootstrapServers()), this::log);
                afterTraining.accept(new Running(broker.bootstrapServers(), "http://127.0.0.1:" + search.httpPort(),
                        training.runId(), options.checkpoints()));
            }
            if (options.keepRunning() || options.follow()) {
                log("Running until Ctrl-C. Publish an entry:   kcat -P -b " + broker.bootstrapServers() + " -t " + Topics.RAW_ENTRIES.name());
                log("                      Follow the pairs:   kcat -C -b " + broker.bootstrapServers() + " -t " + Topics.PAIRS.name());
                log("                      Training progress:  kcat -C -b " + broker.bootstrapServers() + " -t " + Topics.TRAINING_PROGRESS.name());
                log("                      Search:             curl 'http://127.0.0.1:" + search.httpPort()
                        + "/search?q=contrastive+learning+of+sentence+embeddings&k=5'");
                if (options.follow()) {
                    log("Following: every " + TrainerEnvironment.FOLLOW_MIN_NEW_PAIRS + " new train pairs start a warm-start run from the champion");
                    for (int n = 0; options.followRuns() == 0 || n < options.followRuns(); n++) {
                        followUps.add(FollowUpReport.await(watcher, this::log));
                    }
                } else {
                    new CountDownLatch(1).await();
                }
            }
            log("Done. Broker data kept in " + options.workDir() + ": run again to see a restart (nothing is published twice), --fresh to start over.");
            return report;
        } finally {
            stopAll();
        }
    }

    private Path quarkusApp(String module) {
        return options.projectDir().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private <T extends AutoCloseable> T started(T resource) {
        synchronized (running) {
            running.push(resource);
        }
        return resource;
    }

    /** Stops the services, then the broker; safe to call more than once and from the shutdown hook. */
    void stopAll() {
        while (true) {
            AutoCloseable next;
            synchronized (running) {
                next = running.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                out.println("[launcher] could not stop " + next + ": " + e.getMessage());
            }
        }
    }

    private void log(String message) {
        out.println("[launcher] " + message);
    }
}
