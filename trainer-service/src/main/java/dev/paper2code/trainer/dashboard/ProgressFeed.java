package dev.paper2code.trainer.dashboard;

import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.KafkaClients;
import dev.paper2code.contracts.TrainingEvent;
import dev.paper2code.trainer.TrainerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The progress topic as the dashboard sees it: one consumer without a group reads it from the
 * beginning on a thread of its own and keeps the newest {@code trainer.dashboard.max-events} events, each
 * as its JSON text (serialized once here, not once per page);
 * a subscriber first gets everything kept, then every new event, with nothing missed or repeated in
 * between (both happen under one lock). Fed from the topic, not from this service's memory, so the
 * page shows what every subscriber sees, other trainer instances' runs included. A record that cannot
 * be read is logged and skipped; a topic that does not exist yet is looked for again.
 */
@ApplicationScoped
public class ProgressFeed {
    private static final Logger LOG = Logger.getLogger(ProgressFeed.class);
    /** The topic's own serde: the page gets the JSON every subscriber of the topic reads. */
    private static final JsonSerde<TrainingEvent> SERDE = JsonSerde.of(TrainingEvent.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    TrainerConfig config;

    private final Object lock = new Object();
    private final ArrayDeque<String> kept = new ArrayDeque<>();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean stopping;

    void onStart(@Observes StartupEvent event) {
        Thread thread = new Thread(this::follow, "dashboard-progress-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** A registration: closing it stops the deliveries. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Delivers every kept event's JSON, then each new one's, to {@code subscriber} (on the feed's thread). */
    public Subscription subscribe(Consumer<String> subscriber) {
        synchronized (lock) {
            kept.forEach(subscriber);
            subscribers.add(subscriber);
        }
        return () -> subscribers.remove(subscriber);
    }

    /** How many events are kept at most. */
    public int maxEvents() {
        return config.dashboard().maxEvents();
    }

    void accept(TrainingEvent event) {
        String json = new String(SERDE.serialize(config.topics().progress(), event), StandardCharsets.UTF_8);
        synchronized (lock) {
            kept.addLast(json);
            while (kept.size() > maxEvents()) {
                kept.removeFirst();
            }
            for (Consumer<String> subscriber : subscribers) {
                try {
                    subscriber.accept(json);
                } catch (RuntimeException e) {
                    subscribers.remove(subscriber); // a closed page; the others go on
                }
            }
        }
    }

    private void follow() {
        String topic = config.topics().progress();
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(KafkaClients.scanConsumer(kafkaConfig),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            Set<TopicPartition> assigned = new HashSet<>();
            long nextLookup = 0;
            while (!stopping) {
                if (System.nanoTime() >= nextLookup) {
                    assignNew(kafka, topic, assigned);
                    nextLookup = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(500);
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                    try {
                        accept(SERDE.deserialize(record.topic(), record.value()));
                    } catch (RuntimeException e) {
                        LOG.warnf("Skipping unreadable progress record %s-%d@%d: %s", record.topic(), record.partition(),
                                record.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "The dashboard's progress feed stopped");
        }
    }

    private static void assignNew(KafkaConsumer<String, byte[]> kafka, String topic, Set<TopicPartition> assigned) {
        List<PartitionInfo> partitions;
        try {
            partitions = kafka.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.KafkaException e) {
            return; // broker not there yet, or the topic not: looked for again
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (PartitionInfo info : partitions == null ? List.<PartitionInfo>of() : partitions) {
            TopicPartition partition = new TopicPartition(topic, info.partition());
            if (assigned.add(partition)) {
                fresh.add(partition);
            }
        }
        if (!fresh.isEmpty()) {
            kafka.assign(assigned);
            kafka.seekToBeginning(fresh);
        }
    }
}
