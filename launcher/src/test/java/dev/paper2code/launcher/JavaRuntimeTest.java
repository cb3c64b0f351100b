package dev.paper2code.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeTest {
    @TempDir
    Path dir;

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        assertTrue(java.toFile().setExecutable(true));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void withoutTheVariableAServiceRunsOnTheLaunchersOwnJvm() {
        assertEquals(JavaRuntime.current(), JavaRuntime.of("SEARCH_JAVA_HOME", null));
        assertEquals(JavaRuntime.current(), JavaRuntime.of("SEARCH_JAVA_HOME", " "));
    }

    @Test
    void aJdkOf21OrLaterGetsLucenesVectorIncubatorUpToItsOwnVersion() throws IOException {
        JavaRuntime newer = JavaRuntime.of("SEARCH_JAVA_HOME", jdk("jdk25", "25.0.3").toString());

        assertEquals(List.of("--add-modules", "jdk.incubator.vector", "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=25"),
                newer.options());
        assertEquals(dir.resolve("jdk25/bin/java"), newer.java());
        assertEquals(List.of(), JavaRuntime.of("SEARCH_JAVA_HOME", jdk("jdk17", "17.0.15").toString()).options(),
                "Java 17 has no vector API for Lucene");
    }

    @Test
    void aPathThatIsNoJdkIsRefusedWithTheVariableNamed() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JavaRuntime.of("SEARCH_JAVA_HOME", dir.toString()));
        assertTrue(e.getMessage().contains("SEARCH_JAVA_HOME=") && e.getMessage().contains("not a JDK"), e.getMessage());
        Path noRelease = jdk("broken", "x");
        Files.delete(noRelease.resolve("release"));
        assertThrows(IllegalArgumentException.class, () -> JavaRuntime.of("SEARCH_JAVA_HOME", noRelease.toString()));
    }
}
