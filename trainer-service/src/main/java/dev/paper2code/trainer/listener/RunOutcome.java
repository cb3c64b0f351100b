package dev.paper2code.trainer.listener;

import dev.paper2code.trainer.history.EpochResult;
import java.util.Optional;

/** How a run ended: finished all its epochs, or stopped during {@code epoch} at {@code step}. */
public record RunOutcome(boolean stopped, int epoch, long step, Optional<EpochResult> best) {

    public String description() {
        return stopped ? "stopped during epoch " + epoch + " at step " + step : "finished";
    }
}
