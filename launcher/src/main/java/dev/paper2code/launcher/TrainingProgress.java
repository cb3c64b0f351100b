package dev.paper2code.launcher;

import dev.paper2code.contracts.TrainingEvent;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * run-local's view of the run on the progress topic: on a terminal, a progress bar per epoch (pairs
 * done, pairs/s, ETA, last batch loss; the {@code progressbar} library); when stdout is not a terminal
 * (CI, pipes), no bar, only one plain line per epoch. Either way each epoch ends with its line.
 */
final class TrainingProgress implements Consumer<TrainingEvent> {
    private final boolean terminal;
    private final PrintStream out;
    private final Consumer<String> log;
    private long stepsPerEpoch;
    private long batchSize;
    private long trainPairs;
    private Object epochs = "?";
    private ProgressBar bar;
    private int barEpoch;

    TrainingProgress(boolean terminal, PrintStream out, Consumer<String> log) {
        this.terminal = terminal;
        this.out = out;
        this.log = log;
    }

    /** A terminal is there when the JVM has a console and TERM is not "dumb". */
    static boolean stdoutIsTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void accept(TrainingEvent event) {
        if (event instanceof TrainingEvent.RunStarted started) {
            Map<String, Object> config = started.config();
            batchSize = number(config.get("batch_size"), 8);
            trainPairs = number(config.get("train_pairs"), 0);
            stepsPerEpoch = batchSize > 0 ? (trainPairs + batchSize - 1) / batchSize : 0;
            epochs = config.getOrDefault("num_epochs", "?");
        } else if (event instanceof TrainingEvent.BatchLoss loss) {
            if (terminal && stepsPerEpoch > 0) {
                ProgressBar progress = barFor(loss.epoch());
                long stepInEpoch = loss.step() - (loss.epoch() - 1) * stepsPerEpoch;
                progress.stepTo(Math.min(trainPairs, Math.max(0, stepInEpoch * batchSize)));
                progress.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss.loss()));
            }
        } else if (event instanceof TrainingEvent.EpochFinished epoch) {
            if (bar != null) {
                bar.stepTo(trainPairs);
                bar.close();
                bar = null;
            }
            Map<String, Double> values = epoch.values();
            log.accept(String.format(Locale.ROOT,
                    "Epoch %d/%s: train loss %.4f, val loss %.4f, Recall@1 %.3f, MRR@10 %.3f, %.1f pairs/s",
                    epoch.epoch(), epochs, value(values, "train_loss"), value(values, "val_loss"),
                    value(values, "recall@1"), value(values, "mrr@10"), value(values, "pairs_per_second")));
        } else if ((event instanceof TrainingEvent.RunFinished || event instanceof TrainingEvent.RunFailed) && bar != null) {
            bar.close();
            bar = null;
        }
    }

    private ProgressBar barFor(int epoch) {
        if (bar == null || barEpoch != epoch) {
            if (bar != null) {
                bar.close();
            }
            barEpoch = epoch;
            bar = new ProgressBarBuilder().setTaskName("Epoch " + epoch + "/" + epochs).setInitialMax(trainPairs)
                    .setUnit(" pairs", 1).showSpeed().setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).build();
        }
        return bar;
    }

    private static long number(Object value, long fallback) {
        return value instanceof Number number ? number.longValue() : fallback;
    }

    private static double value(Map<String, Double> values, String key) {
        Double value = values == null ? null : values.get(key);
        return value == null ? Double.NaN : value;
    }
}
