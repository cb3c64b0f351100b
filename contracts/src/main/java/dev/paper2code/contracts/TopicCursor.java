package dev.paper2code.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The one way this project reads topics "up to now": from the beginning to the end offsets taken when
 * the cursor opens, without a consumer group (records that arrive later are not read). Services
 * rebuild state from their own output with it, the trainer reads one epoch with it, the launcher and
 * tests count with it. With a {@code read_committed} consumer ({@link KafkaClients#scanConsumer}),
 * aborted transactions are skipped.
 *
 * <p>{@link Order#PARTITION_BY_PARTITION} reads the partitions one after another in (topic, partition)
 * order, so the same topic always yields the same sequence: what makes a seeded shuffle, and therefore
 * resuming a run, reproducible. {@link Order#ANY} reads all partitions at once (faster, for counting
 * and index rebuilding, where order across partitions does not matter).
 *
 * <p>A pull iterator: the caller takes records when it wants them, and a stop condition ends the pass
 * early. Closing the cursor unassigns the consumer; the consumer itself belongs to the caller.
 */
public final class TopicCursor<K, V> implements Iterator<ConsumerRecord<K, V>>, AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** How long a cursor waits through a broker outage unless told otherwise. */
    public static final Duration DEFAULT_OUTAGE_TIMEOUT = Duration.ofMinutes(5);
    private static final System.Logger LOG = System.getLogger(TopicCursor.class.getName());

    public enum Order { PARTITION_BY_PARTITION, ANY }

    private final Consumer<K, V> consumer;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> ends;
    private final boolean ordered;
    private final BooleanSupplier stop;
    private final Duration outageTimeout;
    private long lastProgress = System.nanoTime();
    private int current;
    private Iterator<ConsumerRecord<K, V>> fetched = Collections.emptyIterator();
    private ConsumerRecord<K, V> next;
    private volatile long remaining;
    private long read;

    private TopicCursor(Consumer<K, V> consumer, Collection<String> topics, Order order, BooleanSupplier stop,
            Duration outageTimeout, Map<TopicPartition, Long> endsAtMost) {
        this.consumer = consumer;
        this.ordered = order == Order.PARTITION_BY_PARTITION;
        this.stop = stop;
        this.outageTimeout = outageTimeout;
        List<TopicPartition> found = new ArrayList<>();
        for (String topic : topics) {
            List<org.apache.kafka.common.PartitionInfo> infos = retrying("metadata of " + topic,
                    () -> consumer.partitionsFor(topic, METADATA_TIMEOUT));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            infos.forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
        }
        found.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        this.partitions = List.copyOf(found);
        // Assigned before asking for offsets: the client warns about answers for unassigned partitions.
        consumer.assign(partitions);
        Map<TopicPartition, Long> now = retrying("end offsets", () -> consumer.endOffsets(partitions, METADATA_TIMEOUT));
        Map<TopicPartition, Long> starts = retrying("beginning offsets",
                () -> consumer.beginningOffsets(partitions, METADATA_TIMEOUT));
        if (endsAtMost != null) {
            Map<TopicPartition, Long> pinned = new java.util.HashMap<>();
            for (TopicPartition partition : partitions) {
                long cap = endsAtMost.getOrDefault(partition, starts.get(partition)); // a partition added since: none
                pinned.put(partition, Math.max(starts.get(partition), Math.min(now.get(partition), cap)));
            }
            now = pinned;
        }
        this.ends = Map.copyOf(now);
        this.remaining = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
        consumer.seekToBeginning(partitions);
        if (ordered && !partitions.isEmpty()) {
            // All partitions stay assigned and all but the one being read are paused: reassigning per
            // partition would leave stale offset requests behind (warnings, and a stall per switch).
            consumer.pause(partitions);
            consumer.resume(List.of(partitions.get(0)));
        }
    }

    public static <K, V> TopicCursor<K, V> open(Consumer<K, V> consumer, Collection<String> topics, Order order,
            BooleanSupplier stop) {
        return open(consumer, topics, order, stop, DEFAULT_OUTAGE_TIMEOUT);
    }

    /**
     * @param outageTimeout how long to wait, retrying, through a broker that does not answer (no
     *                      metadata, no offsets, no records while some remain) before giving up with a
     *                      {@link org.apache.kafka.common.errors.TimeoutException}
     */
    public static <K, V> TopicCursor<K, V> open(Consumer<K, V> consumer, Collection<String> topics, Order order,
            BooleanSupplier stop, Duration outageTimeout) {
        return new TopicCursor<>(consumer, topics, order, stop, outageTimeout, null);
    }

    /**
     * As {@link #open(Consumer, Collection, Order, BooleanSupplier, Duration)}, but ending no later than
     * {@code endsAtMost} (an earlier cursor's {@link #ends()}): the same records as that pass, even
     * where more arrived since (a partition it did not know is read as empty).
     */
    public static <K, V> TopicCursor<K, V> open(Consumer<K, V> consumer, Collection<String> topics, Order order,
            BooleanSupplier stop, Duration outageTimeout, Map<TopicPartition, Long> endsAtMost) {
        return new TopicCursor<>(consumer, topics, order, stop, outageTimeout, endsAtMost);
    }

    /** The offsets this pass ends at, per partition. */
    public Map<TopicPartition, Long> ends() {
        return ends;
    }

    /** Reads every record of {@code topics} up to now, in any partition order; returns how many. */
    public static <K, V> long readToEnd(Consumer<K, V> consumer, Collection<String> topics,
            java.util.function.Consumer<ConsumerRecord<K, V>> each) {
        try (TopicCursor<K, V> cursor = open(consumer, topics, Order.ANY, () -> false)) {
            cursor.forEachRemaining(each);
            return cursor.read();
        }
    }

    /** Offsets in {@code topic} now (records plus transaction markers), 0 when it does not exist. */
    public static long size(Consumer<?, ?> consumer, String topic) {
        var infos = consumer.listTopics().get(topic);
        if (infos == null) {
            return 0;
        }
        List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions); // the client warns about offset answers for unassigned partitions
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
        return partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (fetched.hasNext()) {
                ConsumerRecord<K, V> record = fetched.next();
                if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                    next = record;
                    remaining = Math.max(0, remaining - 1);
                    lastProgress = System.nanoTime();
                }
                continue;
            }
            if (retrying("positions", this::reachedEnd)) {
                remaining = 0;
                return false;
            }
            if (stop.getAsBoolean()) {
                return false;
            }
            if (System.nanoTime() - lastProgress > outageTimeout.toNanos()) {
                throw new org.apache.kafka.common.errors.TimeoutException("no record arrived for " + outageTimeout
                        + " while " + remaining + " remain to be read from " + partitions
                        + ": is the broker reachable?");
            }
            fetched = consumer.poll(POLL).iterator();
        }
        return true;
    }

    @Override
    public ConsumerRecord<K, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ConsumerRecord<K, V> record = next;
        next = null;
        read++;
        return record;
    }

    /**
     * Runs a call that needs the broker, again and again while the broker does not answer, for at most
     * the outage timeout since the last progress. A broker restart or a network blip passes unnoticed
     * but for a log line; a longer outage ends the read with the client's TimeoutException.
     */
    private <T> T retrying(String what, java.util.function.Supplier<T> call) {
        boolean logged = false;
        while (true) {
            try {
                return call.get();
            } catch (org.apache.kafka.common.errors.RetriableException e) {
                if (System.nanoTime() - lastProgress > outageTimeout.toNanos()) {
                    throw e;
                }
                if (!logged) {
                    LOG.log(System.Logger.Level.WARNING, "Broker not answering ({0}: {1}); retrying for up to {2}", what,
                            e.getMessage(), outageTimeout);
                    logged = true;
                }
                try {
                    Thread.sleep(RETRY_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private boolean reachedEnd() {
        if (!ordered) {
            return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
        }
        while (current < partitions.size() && consumer.position(partitions.get(current)) >= ends.get(partitions.get(current))) {
            consumer.pause(List.of(partitions.get(current)));
            current++;
            if (current < partitions.size()) {
                consumer.resume(List.of(partitions.get(current)));
            }
        }
        return current == partitions.size();
    }

    /** Records of this pass not read yet: the reader's lag. */
    public long remaining() {
        return remaining;
    }

    /** Records handed out so far. */
    public long read() {
        return read;
    }

    @Override
    public void close() {
        consumer.unsubscribe();
    }
}
