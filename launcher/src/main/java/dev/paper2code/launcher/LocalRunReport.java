package dev.paper2code.launcher;

import java.util.List;
import java.util.Map;

/**
 * What a local run left on the topics (dead letters counted by {@code stage/REASON}) and how training
 * ended, with each epoch's numbers.
 */
public record LocalRunReport(long pairs, long train, long val, Map<String, Long> deadLettersByReason,
                             String trainingEnd, List<Map<String, Double>> epochs, List<String> followUps) {
    public long deadLetters() {
        return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
    }
}
