package dev.paper2code.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A broker process ({@link LocalKafkaBroker}) for a {@code @QuarkusTest} that needs to stop it, to
 * see what the service does while the broker is away: {@link #broker()} is the running broker.
 */
public class LocalKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
    private static volatile LocalKafkaBroker broker;

    public static LocalKafkaBroker broker() {
        return broker;
    }

    @Override
    public Map<String, String> start() {
        try {
            broker = LocalKafkaBroker.start(Files.createTempDirectory("broker-process"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
