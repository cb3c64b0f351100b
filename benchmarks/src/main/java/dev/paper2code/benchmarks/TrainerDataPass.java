package dev.paper2code.benchmarks;

import dev.paper2code.testkit.EmbeddedKafkaCluster;
import dev.paper2code.training.data.PairSource;
import dev.paper2code.training.data.PairValidator;
import dev.paper2code.training.data.SkippedRecords;
import dev.paper2code.training.data.TrainingData;
import dev.paper2code.training.settings.RunSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The scale table's trainer rows: its data pass over topics, in records/s and heap. */
final class TrainerDataPass {
    private TrainerDataPass() {
    }

    /**
     * The trainer's data pass alone, as a run makes it before and during training: every record read
     * from the broker, validated (PairValidator), the newest version of each pair kept, and the train
     * split formed into duplicate-free batches (batch 8, the default shuffle buffer); the first pass
     * (which also records every pair id's versions) and an epoch's pass after it.
     */
    static List<String> measure(EmbeddedKafkaCluster kafka, String trainTopic, String valTopic, int vocabularySize) {
        // The trainer's defaults, read from RunSettings so that they cannot drift.
        RunSettings defaults = RunSettings.defaults();
        TrainingData data = TrainingData.fromTopics(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                defaults.with(Map.of("train_topic", trainTopic, "val_topic", valTopic, "seed", 42,
                        "broker_wait_seconds", 300)));
        SkippedRecords skipped = new SkippedRecords();
        data.validateWith(new PairValidator(vocabularySize, 512), skipped);
        List<String> rows = new ArrayList<>();
        System.gc();
        long base = HeapGauges.heapInUseMiB();
        long oldBase = HeapGauges.oldGenMiB();
        HeapGauges.resetPeaks();
        long start = System.nanoTime();
        long records = 0;
        try (PairSource.Pass pass = data.train().open(() -> false)) {
            while (pass.hasNext()) {
                pass.next();
                records++;
            }
        }
        long older = data.train().keepLatestVersions();
        double seconds = ScaleBenchmark.since(start);
        rows.add(ScaleBenchmark.row("trainer: first pass over the train split (read, validate, record versions)", records + " records", seconds,
                records / seconds, "records/s", String.format(Locale.ROOT, "%,d older versions, %,d skipped; old generation peak %d MiB above its start; after it (newest-version "
                                + "filter kept) %d MiB more in use than before", older, skipped.count(), HeapGauges.peakOldGenMiB() - oldBase,
                        HeapGauges.afterGc() - base)));
        System.gc();
        base = HeapGauges.heapInUseMiB();
        oldBase = HeapGauges.oldGenMiB();
        HeapGauges.resetPeaks();
        start = System.nanoTime();
        TrainingData.EpochPlan plan = data.plan(1, () -> false);
        seconds = ScaleBenchmark.since(start);
        rows.add(ScaleBenchmark.row("trainer: an epoch's pass (read, validate, newest version, duplicate-free batches of 8)",
                records + " records", seconds, records / seconds, "records/s", String.format(Locale.ROOT,
                        "%,d batches, %,d left out; old generation peak %d MiB above its start (shuffle buffer %,d)",
                        plan.steps(), plan.leftOut(), HeapGauges.peakOldGenMiB() - oldBase, defaults.shuffleBuffer())));
        return rows;
    }
}
