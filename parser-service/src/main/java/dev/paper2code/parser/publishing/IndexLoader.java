package dev.paper2code.parser.publishing;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TopicScan;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Rebuilds the {@link PublishedIndex} after a restart by reading the pairs topic and this stage's dead
 * letters from the beginning up to the end offsets taken now (committed data only).
 */
public final class IndexLoader {
    private final JsonSerde<TextPair> pairSerde = JsonSerde.of(TextPair.class);
    private final JsonSerde<DeadLetter> deadLetterSerde = JsonSerde.of(DeadLetter.class);

    public PublishedIndex load(Consumer<String, byte[]> consumer, String pairsTopic, String deadLetterTopic) {
        PublishedIndex index = new PublishedIndex();
        TopicScan.readToEnd(consumer, List.of(pairsTopic, deadLetterTopic), record -> remember(index, record, pairsTopic));
        return index;
    }

    private void remember(PublishedIndex index, ConsumerRecord<String, byte[]> record, String pairsTopic) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        if (record.topic().equals(pairsTopic)) {
            index.remember(record.key(), PublishedIndex.fingerprint(pairSerde.deserialize(record.topic(), record.value())));
        } else if (record.key().startsWith(OutcomePublisher.STAGE + ":")) {
            index.remember(record.key(), deadLetterSerde.deserialize(record.topic(), record.value()).fingerprint());
        }
    }
}
