package dev.paper2code.training.run;

import dev.paper2code.contracts.TrainingEvent;
import java.util.List;

/** Reading a run's progress events in tests. */
final class RunEvents {
    private RunEvents() {
    }

    static Object startedModel(List<TrainingEvent> events) {
        return started(events).config().get("model");
    }

    static TrainingEvent.RunStarted started(List<TrainingEvent> events) {
        return ofType(events, TrainingEvent.RunStarted.class).stream().findFirst().orElseThrow();
    }

    static <T> List<T> ofType(List<TrainingEvent> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
