package dev.paper2code.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM a service runs on: this launcher's own by default. A service may be given another JDK
 * through an environment variable ({@code SEARCH_JAVA_HOME} for search-service): on Java 21 or later
 * Lucene's HNSW uses the Panama vector API, which on this project's 2-core machine built the index 2.5
 * times as fast and answered 1.4 times as fast as on Java 17 (docs/BENCHMARKS.md, "Search").
 *
 * @param javaHome the JDK
 * @param options  JVM options that this JDK needs beyond the common ones
 */
record JavaRuntime(Path javaHome, List<String> options, String description) {
    private static final Pattern FEATURE = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    static JavaRuntime current() {
        return new JavaRuntime(Path.of(System.getProperty("java.home")), List.of(), "Java " + Runtime.version().feature());
    }

    /**
     * The JDK the variable names, with Lucene's vector incubator on when it is 21 or later (Lucene 9.12
     * enables it up to a feature version it was tested with; the property lets a newer JDK use it);
     * this launcher's JVM when the variable is unset.
     *
     * @throws IllegalArgumentException when the variable names no JDK
     */
    static JavaRuntime fromEnvironment(String variable) {
        return of(variable, System.getenv(variable));
    }

    /** {@link #fromEnvironment} with the variable's value given. */
    static JavaRuntime of(String variable, String value) {
        if (value == null || value.isBlank()) {
            return current();
        }
        Path home = Path.of(value);
        if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
            throw new IllegalArgumentException(variable + "=" + value + " is not a JDK (no bin/java)");
        }
        int feature = featureVersion(home).orElseThrow(() -> new IllegalArgumentException(
                variable + "=" + value + " has no readable release file with its JAVA_VERSION"));
        if (feature < 21) {
            return new JavaRuntime(home, List.of(), "Java " + feature + " (" + variable + ")");
        }
        return new JavaRuntime(home, List.of("--add-modules", "jdk.incubator.vector",
                "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=" + feature),
                "Java " + feature + " with Lucene's vector incubator (" + variable + ")");
    }

    Path java() {
        return javaHome.resolve("bin").resolve("java");
    }

    private static Optional<Integer> featureVersion(Path home) {
        try {
            Matcher m = FEATURE.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
