package dev.paper2code.trainer.dashboard;

import dev.paper2code.contracts.Topic;
import dev.paper2code.contracts.TopicTail;
import dev.paper2code.contracts.Topics;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The progress topic as the dashboard sees it: followed from the beginning ({@link TopicTail}) on a
 * thread of its own, keeping the newest {@code trainer.dashboard.max-events} events, each
 * as its JSON text (serialized once here, not once per page);
 * a subscriber first gets everything kept, then every new event, with nothing missed or repeated in
 * between (both happen under one lock). Fed from the topic, not from this service's memory, so the
 * page shows what every subscriber sees, other trainer instances' runs included. A record that cannot
 * be read is logged and skipped.
 */
@ApplicationScoped
public class ProgressFeed {
    private static final Logger LOG = Logger.getLogger(ProgressFeed.class);

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    TrainerConfig config;

    private final Object lock = new Object();
    private final ArrayDeque<String> kept = new ArrayDeque<>();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private volatile TopicTail tail;
    private volatile boolean stopping;

    void onStart(@Observes StartupEvent event) {
        Thread thread = new Thread(this::follow, "dashboard-progress-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        TopicTail current = tail;
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
        // The topic's own serde: the page gets the JSON every subscriber of the topic reads.
        String json = new String(Topics.TRAINING_PROGRESS.serializeValue(event), StandardCharsets.UTF_8);
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
        Topic<String, TrainingEvent> topic = Topics.TRAINING_PROGRESS.named(config.topics().progress());
        try (TopicTail progress = TopicTail.open(kafkaConfig, List.of(topic.name()), List.of())) {
            tail = progress;
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : progress.poll(Duration.ofMillis(500))) {
                    try {
                        accept(topic.deserializeValue(record.value()));
                    } catch (RuntimeException e) {
                        LOG.warnf("Skipping unreadable progress record %s-%d@%d: %s", record.topic(), record.partition(),
                                record.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "The dashboard's progress feed stopped");
        }
    }
}
