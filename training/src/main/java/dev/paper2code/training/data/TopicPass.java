package dev.paper2code.training.data;

import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.contracts.Topic;
import dev.paper2code.contracts.TopicCursor;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Passes over a tokenized topic: every committed record up to the end offsets taken when a pass opens,
 * and once the run counted its data ({@link #keepLatestVersions}) up to where that counting pass ended
 * (records that arrive later are the next run's), partition after partition, so the same topic always
 * yields the same sequence, which makes shuffling with a seed, and therefore resuming, reproducible.
 * No consumer group is used: the trainer owns its position.
 */
public final class TopicPass implements PairSource {

    private final Map<String, Object> kafkaConfig;
    private final Topic<String, TokenizedPair> topic;
    private volatile Pairs current;
    private final PairChecks checks = new PairChecks();
    /** Until {@link #keepLatestVersions}: every key's newest offset and how often it was seen. */
    private final Map<String, long[]> versions = new java.util.HashMap<>();
    /** After: for each key written more than once, the offset of its newest version. */
    private volatile Map<String, Long> newestOfRepublished;
    /** After: where that whole pass ended; later passes end there too. */
    private volatile Map<org.apache.kafka.common.TopicPartition, Long> pinnedEnds;

    private final java.time.Duration brokerWait;

    public TopicPass(Map<String, Object> kafkaConfig, Topic<String, TokenizedPair> topic, java.time.Duration brokerWait) {
        this.kafkaConfig = kafkaConfig;
        this.topic = topic;
        this.brokerWait = brokerWait;
    }

    @Override
    public String name() {
        return topic.name();
    }

    @Override
    public void validateWith(PairValidator validator, SkippedRecords skipped) {
        checks.set(validator, skipped);
    }

    /**
     * From now on, a pair id that was published more than once is read in its newest version only (a
     * pair republished with changed text would otherwise be trained on twice, old text included).
     * Call after one whole pass; returns how many older versions that pass read.
     *
     * <p>From now on, too, every pass ends where that one did: a run trains on the records that were
     * there when it counted them (records published later are the next run's), so the batches its
     * schedule was planned for are the batches it trains on, and every version filter stays right.
     */
    @Override
    public synchronized long keepLatestVersions() {
        Pairs counted = current;
        if (counted != null) {
            pinnedEnds = counted.cursor.ends();
        }
        Map<String, Long> newest = new java.util.HashMap<>();
        long older = 0;
        for (Map.Entry<String, long[]> entry : versions.entrySet()) {
            if (entry.getValue()[1] > 1) {
                newest.put(entry.getKey(), entry.getValue()[0]);
                older += entry.getValue()[1] - 1;
            }
        }
        versions.clear();
        newestOfRepublished = Map.copyOf(newest);
        return older;
    }

    @Override
    public long remaining() {
        Pairs pass = current;
        return pass == null ? 0 : pass.cursor.remaining();
    }

    /**
     * Opens a pass that ends at the topic's end offsets of now (after {@link #keepLatestVersions}: of the
     * counted pass), or earlier once {@code stop} says so.
     */
    @Override
    public Pairs open(BooleanSupplier stop) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig),
                new StringDeserializer(), new ByteArrayDeserializer());
        try {
            Pairs pass = new Pairs(consumer, TopicCursor.open(consumer, List.of(topic.name()),
                    TopicCursor.Order.PARTITION_BY_PARTITION, stop, brokerWait, pinnedEnds));
            current = pass;
            return pass;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * The pairs of one pass. A record that is not a {@link TokenizedPair}, or that the validator finds
     * a problem with, is left out and counted (the tokenizer only writes valid ones; anything else was
     * put there by hand, or by another tokenizer).
     */
    public final class Pairs extends PairSource.SkippingPass {
        private final KafkaConsumer<String, byte[]> consumer;
        private final TopicCursor<String, byte[]> cursor;

        private Pairs(KafkaConsumer<String, byte[]> consumer, TopicCursor<String, byte[]> cursor) {
            this.consumer = consumer;
            this.cursor = cursor;
        }

        @Override
        protected boolean moreRecords() {
            return cursor.hasNext();
        }

        @Override
        protected TokenizedPair read() {
            return parse(cursor.next());
        }

        @Override
        public void close() {
            cursor.close();
            consumer.close();
        }
    }

    private TokenizedPair parse(ConsumerRecord<String, byte[]> record) {
        if (record.key() != null) {
            Map<String, Long> newest = newestOfRepublished;
            if (newest == null) {
                synchronized (this) {
                    long[] seen = versions.computeIfAbsent(record.key(), k -> new long[2]);
                    seen[0] = Math.max(seen[0], record.offset());
                    seen[1]++;
                }
            } else if (newest.getOrDefault(record.key(), record.offset()) > record.offset()) {
                return null; // an older version of a pair republished since
            }
        }
        if (record.value() == null) {
            return null; // a tombstone: the pair was deleted (its older versions are dropped as superseded)
        }
        String problem;
        TokenizedPair pair = null;
        try {
            pair = topic.deserializeValue(record.value());
            problem = pair == null ? "UNREADABLE: no value" : null;
        } catch (SerializationException | IllegalArgumentException e) {
            problem = "UNREADABLE: not a tokenized pair (" + e.getMessage() + ")";
        }
        return checks.accept(pair, problem, record.topic() + "-" + record.partition() + "@" + record.offset());
    }
}
