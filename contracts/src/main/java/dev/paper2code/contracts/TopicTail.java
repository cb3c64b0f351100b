package dev.paper2code.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The one way this project follows topics without end ({@link TopicCursor} reads them up to now):
 * one consumer without a group ({@link KafkaClients#scanConsumer}: every follower reads everything),
 * polled on the caller's thread. Partitions are assigned as they appear, a topic that does not exist
 * yet being looked for again every few seconds. Each partition starts at its beginning, except those
 * of the {@code fromEndAtStart} topics that the first look finds, which start at their end then: the
 * history the follower does not want (search reads only promotions made after it started). Through a
 * broker outage a poll returns nothing and the consumer goes on where it was.
 *
 * <p>Values stay bytes: the follower reads them with its typed {@link Topic}, and a record that is not
 * what the topic holds is the follower's to skip. {@link #wakeup} (from any thread) ends a poll in
 * progress with a {@link org.apache.kafka.common.errors.WakeupException}.
 */
public final class TopicTail implements AutoCloseable {
    private static final Duration LOOKUP_INTERVAL = Duration.ofSeconds(3);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final Set<String> fromEndAtStart;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private Map<TopicPartition, Long> endsAtFirstAssignment;
    private boolean firstLook = true;
    private long nextLookup;

    private TopicTail(Map<String, Object> kafkaConfig, Collection<String> topics, Collection<String> fromEndAtStart) {
        this.consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
        this.fromEndAtStart = Set.copyOf(fromEndAtStart);
    }

    /**
     * Follows {@code topics}; the first look for their partitions happens here, so a record published
     * after this returns is read even when its topic is in {@code fromEndAtStart}.
     */
    public static TopicTail open(Map<String, Object> kafkaConfig, Collection<String> topics,
            Collection<String> fromEndAtStart) {
        TopicTail tail = new TopicTail(kafkaConfig, topics, fromEndAtStart);
        try {
            tail.lookUp();
        } catch (RuntimeException e) {
            tail.close();
            throw e;
        }
        return tail;
    }

    /** The records that arrived, waiting up to {@code timeout}; empty while no partition exists yet. */
    public ConsumerRecords<String, byte[]> poll(Duration timeout) {
        if (System.nanoTime() >= nextLookup) {
            lookUp();
        }
        if (assigned.isEmpty()) {
            try {
                Thread.sleep(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ConsumerRecords.empty();
        }
        return consumer.poll(timeout);
    }

    /**
     * Whether the partitions read from their beginning have been read up to where they ended when
     * first assigned: the follower has caught up with what was there when it started.
     */
    public boolean caughtUp() {
        if (endsAtFirstAssignment == null) {
            return false;
        }
        for (Map.Entry<TopicPartition, Long> end : endsAtFirstAssignment.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Ends a poll in progress (any thread): it throws WakeupException on the polling thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    /** Closes the consumer; call on the polling thread, or once no poll can be in progress. */
    @Override
    public void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    private void lookUp() {
        List<TopicPartition> fromBeginning = new ArrayList<>();
        List<TopicPartition> fromEnd = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> partitions;
            try {
                partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            } catch (KafkaException e) {
                continue; // broker or topic not there yet: looked for again
            }
            for (PartitionInfo info : partitions == null ? List.<PartitionInfo>of() : partitions) {
                TopicPartition partition = new TopicPartition(topic, info.partition());
                if (!assigned.contains(partition)) {
                    (firstLook && fromEndAtStart.contains(topic) ? fromEnd : fromBeginning).add(partition);
                }
            }
        }
        firstLook = false;
        nextLookup = System.nanoTime() + LOOKUP_INTERVAL.toNanos();
        if (fromBeginning.isEmpty() && fromEnd.isEmpty()) {
            return;
        }
        assigned.addAll(fromBeginning);
        assigned.addAll(fromEnd);
        consumer.assign(assigned);
        // Never with an empty list: the consumer reads that as "every assigned partition", and a topic
        // that appeared later would send all the others to their end, skipping what they had not read.
        if (!fromBeginning.isEmpty()) {
            consumer.seekToBeginning(fromBeginning);
        }
        if (!fromEnd.isEmpty()) {
            consumer.seekToEnd(fromEnd);
            fromEnd.forEach(consumer::position); // resolved now: what is published from here on is read
        }
        if (endsAtFirstAssignment == null) {
            endsAtFirstAssignment = new HashMap<>(consumer.endOffsets(fromBeginning));
        }
    }
}
