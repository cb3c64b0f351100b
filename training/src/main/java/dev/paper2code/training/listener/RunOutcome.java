package dev.paper2code.training.listener;

import dev.paper2code.training.history.EpochResult;
import java.util.Optional;

/**
 * How a run ended: finished all its epochs, or stopped during {@code epoch} at {@code step}, by
 * {@code stopReason} ({@code user} through the API, {@code shutdown} when the service stops: such a
 * run is resumed when the service comes back).
 */
public record RunOutcome(boolean stopped, String stopReason, int epoch, long step, Optional<EpochResult> best) {

    public String description() {
        return stopped ? "stopped during epoch " + epoch + " at step " + step : "finished";
    }
}
