package dev.paper2code.parser.publishing;

import dev.paper2code.contracts.TopicCursor;
import dev.paper2code.contracts.Topics;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Rebuilds the {@link PublishedIndex} after a restart by reading the pairs topic and this stage's dead
 * letters from the beginning up to the end offsets taken now (committed data only).
 */
public final class IndexLoader {
    public PublishedIndex load(Consumer<String, byte[]> consumer, String pairsTopic, String deadLetterTopic) {
        PublishedIndex index = new PublishedIndex();
        TopicCursor.readToEnd(consumer, List.of(pairsTopic, deadLetterTopic), record -> remember(index, record, pairsTopic));
        return index;
    }

    private void remember(PublishedIndex index, ConsumerRecord<String, byte[]> record, String pairsTopic) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            // A deleted pair: the entry published again brings it back.
            if (record.topic().equals(pairsTopic)) {
                index.forget(record.key());
            }
            return;
        }
        if (record.topic().equals(pairsTopic)) {
            index.remember(record.key(), PublishedIndex.fingerprint(Topics.PAIRS.deserializeValue(record.value())));
        } else if (record.key().startsWith(OutcomePublisher.STAGE + ":")) {
            index.remember(record.key(), Topics.DEAD_LETTERS.deserializeValue(record.value()).fingerprint());
        }
    }
}
