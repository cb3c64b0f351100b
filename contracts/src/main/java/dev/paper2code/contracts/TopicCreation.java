package dev.paper2code.contracts;

import io.smallrye.config.WithDefault;
import java.util.Collection;
import java.util.Set;
import java.util.Map;

/**
 * How a service creates the topics it writes when they are missing, declared once: each service's
 * {@code <service>.topics} configuration extends it ({@code parser.topics.create}, {@code
 * tokenizer.topics.partitions}, {@code trainer.topics.replication-factor}, ...). Turn {@code create}
 * off where topics are managed elsewhere (Strimzi {@code KafkaTopic}).
 */
public interface TopicCreation {
    /** Create the topics this service writes when they are missing (existing ones are left as they are). */
    @WithDefault("true")
    boolean create();

    /** Partitions of the keyed data topics this service creates (a topic declared with one partition keeps it). */
    @WithDefault("3")
    int partitions();

    /** For the topics this service creates, and for Kafka Streams' internal topics. */
    @WithDefault("1")
    short replicationFactor();

    /**
     * Creates what is missing of {@code topics} when {@link #create()} is on, with this replication
     * factor; each topic with the partitions it is given. @return the names created now (none when off)
     */
    default Set<String> ensureExist(Map<String, Object> kafkaConfig, Collection<? extends Topic<?, ?>> topics) {
        return create() ? TopicProvisioning.ensureExist(kafkaConfig, topics, replicationFactor()) : Set.of();
    }
}
