package dev.paper2code.launcher;

import dev.paper2code.contracts.TrainingEvent;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/** What the local run prints of a follow-up run: its trigger, its epochs, and the champion decision. */
final class FollowUpReport {
    private FollowUpReport() {
    }

    /** Waits for the next run to end; returns one line: run id, trigger, end, and the decision with both values. */
    static String await(TrainingWatcher watcher, Consumer<String> log) {
        String[] trigger = {"?"};
        String[] decision = {"no champion decision"};
        TrainingWatcher.Outcome outcome = watcher.awaitRun(Duration.ofDays(365), event -> {
            if (event instanceof TrainingEvent.RunStarted started) {
                trigger[0] = String.valueOf(started.config().get("trigger"));
                log.accept("Run " + started.runId() + " started (" + trigger[0] + ")");
            } else if (event instanceof TrainingEvent.EpochFinished epoch) {
                log.accept(String.format(Locale.ROOT, "  %s epoch %d: val loss %.4f, Recall@1 %.3f", epoch.runId(),
                        epoch.epoch(), epoch.values().get("val_loss"), epoch.values().get("recall@1")));
            } else if (event instanceof TrainingEvent.ModelDecision made) {
                decision[0] = made.type() + " " + made.values() + " (" + made.reason() + ")";
                log.accept("  " + decision[0]);
            }
        });
        String line = outcome.runId() + " [" + trigger[0] + "]: " + outcome.end() + "; " + decision[0];
        log.accept("Run " + line);
        return line;
    }
}
