package dev.paper2code.contracts;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The one way topics get created: the ones a service needs, when they are missing, leaving existing
 * ones untouched. Services call it at start so that a fresh broker works without a separate setup
 * step; where topics are managed elsewhere (Strimzi {@code KafkaTopic}), they turn it off.
 */
public final class TopicProvisioning {
    private TopicProvisioning() {
    }

    /** @return the names of the topics that were created now */
    public static Set<String> ensureExist(Map<String, Object> kafkaConfig, Collection<? extends Topic<?, ?>> topics,
            short replicationFactor) {
        try (Admin admin = Admin.create(KafkaClients.withoutGroup(kafkaConfig))) {
            return ensureExist(admin, topics.stream().map(t -> t.newTopic(replicationFactor)).toList());
        }
    }

    /** @return the names of the topics that were created now */
    public static Set<String> ensureExist(Admin admin, Collection<NewTopic> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    // Another instance created it between our listing and our request.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            return missing.stream().map(NewTopic::name).collect(Collectors.toUnmodifiableSet());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
