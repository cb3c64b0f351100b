package dev.paper2code.launcher;

import dev.paper2code.testkit.LocalKafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the project's Quarkus services run as a child JVM from its {@code quarkus-app} directory,
 * configured through environment variables exactly as in a container, its log lines echoed with the
 * service's name in front.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ChildWatch watch;

    private ServiceProcess(String name, Process process, int httpPort, ChildWatch watch) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.watch = watch;
        if (watch != null) {
            watch.watch(name, process);
        }
    }

    public static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> environment,
            PrintStream console) throws IOException {
        return start(name, quarkusRunJar, environment, console, null);
    }

    /** @param watch told when the service exits before {@link #close()} stops it (null: nobody is told) */
    static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> environment,
            PrintStream console, ChildWatch watch) throws IOException {
        return start(name, quarkusRunJar, JavaRuntime.current(), environment, console, watch);
    }

    /** The same on {@code runtime}'s JVM. */
    static ServiceProcess start(String name, Path quarkusRunJar, JavaRuntime runtime, Map<String, String> environment,
            PrintStream console, ChildWatch watch) throws IOException {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(quarkusRunJar + " not found: build the project first (mvn -B -DskipTests package)");
        }
        int httpPort = LocalKafkaBroker.freePort();
        List<String> command = new java.util.ArrayList<>(List.of(runtime.java().toString(), "-Xmx1g", "-Dai.djl.offline=true"));
        command.addAll(runtime.options());
        command.addAll(List.of("-jar", quarkusRunJar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        Process process = builder.start();
        Thread echo = new Thread(() -> echo(name, process, console), name + "-output");
        echo.setDaemon(true);
        echo.start();
        return new ServiceProcess(name, process, httpPort, watch);
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early if the process exits. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        await("/q/health/ready", timeout);
    }

    /**
     * Waits until {@code /q/health/live} answers 200: started, though not necessarily ready (search is
     * ready only once a trained model serves).
     */
    public void awaitStarted(Duration timeout) throws InterruptedException {
        await("/q/health/live", timeout);
    }

    private void await(String healthPath, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " before it was ready");
            }
            if (get(healthPath).status() == 200) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout + ": " + get("/q/health").body());
            }
            Thread.sleep(500);
        }
    }

    /** GETs a path of the service's HTTP API. */
    public HttpResult get(String path) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                            .timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.body());
        } catch (IOException e) {
            return new HttpResult(503, e.toString());
        }
    }

    /** SIGTERM, so Quarkus shuts down gracefully (closing Kafka clients, committing work); then SIGKILL. */
    @Override
    public void close() {
        if (watch != null) {
            watch.release(process);
        }
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

    private static void echo(String name, Process process, PrintStream console) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                console.println("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // Process.destroy() closes the stream under the reader; the service's own log ends there.
        }
    }

    /** Status and body of a GET; status 503 with the error as body when the service does not answer. */
    public record HttpResult(int status, String body) {
    }
}
