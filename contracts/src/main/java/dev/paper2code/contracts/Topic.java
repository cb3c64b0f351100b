package dev.paper2code.contracts;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic as a typed value: its name, the serdes of its keys and values, and how it is created
 * (partitions, cleanup policy). Each topic is defined once, in {@link Topics}; a service that lets its
 * name or partition count be configured derives a copy with {@link #named} / {@link #withPartitions}.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, boolean compacted) {

    /** A topic this system reads but does not create (no partition count or policy of its own). */
    public static <K, V> Topic<K, V> of(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new Topic<>(name, keySerde, valueSerde, 1, false);
    }

    public Topic<K, V> named(String newName) {
        return new Topic<>(newName, keySerde, valueSerde, partitions, compacted);
    }

    public Topic<K, V> withPartitions(int count) {
        return new Topic<>(name, keySerde, valueSerde, count, compacted);
    }

    /** What an admin client creates for this topic. */
    public NewTopic newTopic(short replicationFactor) {
        NewTopic topic = new NewTopic(name, partitions, replicationFactor);
        return compacted
                ? topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                : topic;
    }

    public byte[] serializeValue(V value) {
        return valueSerde.serializer().serialize(name, value);
    }

    /** @throws org.apache.kafka.common.errors.SerializationException when the bytes are not a {@code V} */
    public V deserializeValue(byte[] bytes) {
        return valueSerde.deserializer().deserialize(name, bytes);
    }
}
