package dev.paper2code.contracts;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the brokers answer, within a bound: what a health check may ask without hanging while the
 * broker is away (the Kafka client's own calls wait up to a minute). One long-lived admin client.
 */
public final class BrokerProbe implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    /** @param reachable whether a broker answered; {@code detail}: how many, or why not */
    public record Answer(boolean reachable, String detail) {
    }

    private final Admin admin;

    public BrokerProbe(Map<String, Object> kafkaConfig) {
        Map<String, Object> props = KafkaClients.withoutGroup(kafkaConfig);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "health-probe");
        this.admin = Admin.create(props);
    }

    public Answer ask() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 100, TimeUnit.MILLISECONDS).size();
            return new Answer(true, nodes + " broker(s)");
        } catch (ExecutionException e) {
            return new Answer(false, e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            return new Answer(false, "no answer within " + TIMEOUT.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, "interrupted");
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(1));
    }
}
