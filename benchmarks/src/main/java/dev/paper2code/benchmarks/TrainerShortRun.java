package dev.paper2code.benchmarks;

import ai.djl.engine.Engine;
import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.training.listener.RunContext;
import dev.paper2code.training.listener.StepResult;
import dev.paper2code.training.listener.TrainingListener;
import dev.paper2code.training.run.TrainingConfig;
import dev.paper2code.training.run.TrainingRun;
import dev.paper2code.training.settings.RunSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scale table's timed training run: a {@link TrainingRun} as the service starts it (the small model
 * from scratch, batch 8, the run's defaults otherwise) over the topics holding every tokenized pair,
 * stopped after a fixed time. It says what the whole loop sustains at this size (first pass, shuffle,
 * duplicate-free batches, steps) and what an epoch would take, without training the hours an epoch of
 * 239,000 pairs takes on two cores.
 */
final class TrainerShortRun {
    private static final int BATCH = 8;
    private TrainerShortRun() {
    }

    static List<String> measure(EmbeddedKafkaCluster kafka, String trainTopic, String valTopic, Path tokenizer, Path work,
            int seconds) throws InterruptedException {
        RunSettings settings = RunSettings.defaults().with(Map.of("batch_size", BATCH, "num_epochs", 1, "learning_rate", 5e-4,
                "checkpoint_dir", work.resolve("short-run").toString(), "tokenizer_path", tokenizer.toString(),
                "train_topic", trainTopic, "val_topic", valTopic, "seed", 42));
        // Counted from the end of the first step (the first step also pays for warming up the engine).
        AtomicLong firstStepAt = new AtomicLong();
        AtomicLong steps = new AtomicLong();
        AtomicLong pairs = new AtomicLong();
        AtomicLong stepNanos = new AtomicLong();
        TrainingListener counter = new TrainingListener() {
            @Override
            public void onStep(RunContext run, StepResult step) {
                if (firstStepAt.compareAndSet(0, System.nanoTime())) {
                    return;
                }
                steps.incrementAndGet();
                pairs.addAndGet(step.pairs());
                stepNanos.addAndGet(step.nanos());
            }
        };
        TrainingRun run = TrainingRun.overTopics("scale", TrainingConfig.of(settings).logEvery(1000).addTrainingListeners(counter),
                Map.of("bootstrap.servers", kafka.bootstrapServers()), Engine.getInstance().defaultDevice());
        System.gc();
        long oldBase = HeapGauges.oldGenMiB();
        HeapGauges.resetPeaks();
        long start = System.nanoTime();
        Thread thread = new Thread(run, "scale-training-run");
        thread.start();
        thread.join(seconds * 1000L);
        long stepsAtStop = steps.get();
        long pairsAtStop = pairs.get();
        long stepNanosAtStop = stepNanos.get();
        long stoppedAt = System.nanoTime();
        long trainPairs = run.trainPairs();
        run.requestStop();
        thread.join();
        if (run.state() == TrainingRun.State.FAILED || stepsAtStop == 0) {
            throw new IllegalStateException("the timed run did not train: " + run.state() + ", " + run.status().failure());
        }
        double preparing = (firstStepAt.get() - start) / 1e9;
        double training = (stoppedAt - firstStepAt.get()) / 1e9;
        double stepsPerSecond = stepsAtStop / training;
        long epochSteps = (trainPairs + BATCH - 1) / BATCH;
        List<String> rows = new ArrayList<>();
        rows.add(ScaleBenchmark.row("trainer: a timed run (small model from scratch, batch 8, the run's loop over the topics), "
                        + "stopped after " + seconds + " s", String.format(Locale.ROOT, "%,d steps", stepsAtStop), training,
                pairsAtStop / training, "train pairs/s", String.format(Locale.ROOT, "%.1f s from start to the end of the first step (first pass, "
                        + "model, one step); %.1f steps/s, mean step %.0f ms (%.0f%% of the time in steps); an epoch of %,d train pairs would take "
                        + "about %,.0f s; old generation peak %d MiB above its start", preparing, stepsPerSecond,
                stepNanosAtStop / 1e6 / stepsAtStop, 100.0 * stepNanosAtStop / 1e9 / training, trainPairs,
                epochSteps / stepsPerSecond, HeapGauges.peakOldGenMiB() - oldBase)));
        return rows;
    }
}
