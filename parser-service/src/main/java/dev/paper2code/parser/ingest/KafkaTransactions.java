package dev.paper2code.parser.ingest;

import dev.paper2code.parser.publishing.PublishedIndex;
import dev.paper2code.parser.publishing.Tally;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;

/** The parser's consume-transform-produce transactions: outputs, consumed offsets and the index commit together. */
final class KafkaTransactions {
    private KafkaTransactions() {
    }

    /**
     * Runs {@code work} in a Kafka transaction and commits the index with it. Errors after which this
     * producer may not go on (fenced by a newer instance, lost sequence, no permission) end the worker;
     * any other Kafka error aborts, and the caller retries the same input.
     */
    static Tally run(KafkaProducer<String, byte[]> producer, PublishedIndex index,
            Supplier<Tally> work) {
        producer.beginTransaction();
        try {
            Tally tally = work.get();
            producer.commitTransaction();
            index.commit();
            return tally;
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            index.abort();
            throw e;
        } catch (KafkaException e) {
            producer.abortTransaction();
            index.abort();
            throw new RetriableBatchException(e);
        }
    }

    static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    static void rewindToCommitted(KafkaConsumer<String, byte[]> consumer, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }

    static final class RetriableBatchException extends RuntimeException {
        RetriableBatchException(KafkaException cause) {
            super(cause);
        }
    }

    /** The innermost cause of a failed transaction, with its type: what an operator needs to read in the log. */
    static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
