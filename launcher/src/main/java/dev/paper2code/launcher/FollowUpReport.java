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
            switch (event.type()) {
                case RUN_STARTED -> {
                    trigger[0] = String.valueOf(event.config().get("trigger"));
                    log.accept("Run " + event.runId() + " started (" + trigger[0] + ")");
                }
                case EPOCH_FINISHED -> log.accept(String.format(Locale.ROOT,
                        "  %s epoch %d: val loss %.4f, Recall@1 %.3f", event.runId(), event.epoch(),
                        event.values().get("val_loss"), event.values().get("recall@1")));
                case MODEL_PROMOTED, MODEL_KEPT -> {
                    decision[0] = event.type() + " " + event.values() + " (" + event.detail() + ")";
                    log.accept("  " + decision[0]);
                }
                default -> { }
            }
        });
        String line = outcome.runId() + " [" + trigger[0] + "]: " + outcome.end() + "; " + decision[0];
        log.accept("Run " + line);
        return line;
    }
}
