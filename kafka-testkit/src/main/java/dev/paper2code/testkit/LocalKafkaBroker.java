package dev.paper2code.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * An Apache Kafka broker in KRaft mode (one node, broker and controller combined) run as a child
 * process on 127.0.0.1 from the Kafka jars on this program's classpath: no download, no Docker.
 * Its data directory survives {@link #close()}, so a later start with the same directory finds the
 * topics, offsets and transactions of the last run.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final Process process;
    private final String bootstrapServers;
    private final Path logFile;

    private LocalKafkaBroker(Process process, String bootstrapServers, Path logFile) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
    }

    /**
     * Formats {@code directory} on first use, starts the broker and waits until it answers.
     *
     * @param port the client port; 0 picks a free one
     */
    public static LocalKafkaBroker start(Path directory, int port) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        int clientPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        Path config = directory.resolve("server.properties");
        Files.writeString(config, serverProperties(directory.resolve("data"), clientPort, controllerPort));
        Path log4j = directory.resolve("log4j2.properties");
        Files.writeString(log4j, LOG4J_CONFIG);
        Path logFile = directory.resolve("broker.log");

        if (!Files.exists(directory.resolve("data").resolve("meta.properties"))) {
            Process format = javaProcess(log4j, "kafka.tools.StorageTool", "format",
                    "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("Formatting Kafka storage failed; see " + logFile + ":\n" + tail(logFile));
            }
        }
        Process process = javaProcess(log4j, "kafka.Kafka", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        LocalKafkaBroker broker = new LocalKafkaBroker(process, "127.0.0.1:" + clientPort, logFile);
        try {
            broker.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Stops the broker with SIGTERM (a controlled shutdown), and kills it if that takes too long. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with code " + process.exitValue()
                            + "; see " + logFile + ":\n" + tail(logFile));
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The Kafka broker did not answer within " + START_TIMEOUT
                                + "; see " + logFile + ":\n" + tail(logFile));
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    private static ProcessBuilder javaProcess(Path log4jConfig, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx1g",
                "-Dlog4j2.configurationFile=" + log4jConfig.toUri(),
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static String serverProperties(Path dataDir, int clientPort, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + clientPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir,
                "num.partitions=3",
                // A single node: the internal topics behind consumer groups and transactions must fit on it.
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "");
    }

    private static final String LOG4J_CONFIG = String.join("\n",
            "rootLogger.level=INFO",
            "rootLogger.appenderRef.stdout.ref=STDOUT",
            "appender.stdout.type=Console",
            "appender.stdout.name=STDOUT",
            "appender.stdout.layout.type=PatternLayout",
            "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
            "logger.kafka.name=kafka",
            "logger.kafka.level=WARN",
            "logger.apache.name=org.apache.kafka",
            "logger.apache.level=WARN",
            "");

    /**
     * A port nobody listens on now and that this JVM has not handed out before. The caller binds it
     * later (a broker or service process that is still starting), and the OS may hand a just-closed
     * port straight back: a broker restart once got one port for both its listeners and exited. So a
     * port is handed out once per JVM.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port that this JVM has not handed out already (1,000 tries)");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
