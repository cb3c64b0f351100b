package dev.paper2code.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory sealed with {@code checksums.sha256}: one {@code sha256sum} line per file under it, so
 * that {@code sha256sum -c checksums.sha256} checks it by hand too. The trainer seals every checkpoint
 * it writes; whoever loads one (the trainer on resume, the search service) verifies it first and
 * refuses a directory that is incomplete or was changed. A contract between services, like the topics:
 * the trainer writes the seal, search and the launcher read it.
 */
public final class SealedDirectory {
    public static final String CHECKSUMS = "checksums.sha256";

    private SealedDirectory() {
    }

    /** Writes {@code checksums.sha256} over every other file under {@code directory}. */
    public static void seal(Path directory) throws IOException {
        Files.writeString(directory.resolve(CHECKSUMS), checksums(directory));
    }

    /** Whether {@code directory} carries a seal (it may still fail {@link #verify}). */
    public static boolean isSealed(Path directory) {
        return Files.isRegularFile(directory.resolve(CHECKSUMS));
    }

    /**
     * Checks every file named in the seal; a symbolic link is followed, since the sums are over the real
     * files. Returns the real directory.
     *
     * @throws IOException naming the directory and every missing or changed file, or saying there is no seal
     */
    public static Path verify(Path directory) throws IOException {
        Path real = Files.exists(directory) ? directory.toRealPath() : directory;
        Path sums = real.resolve(CHECKSUMS);
        if (!Files.isRegularFile(sums)) {
            throw new IOException(real + " is not a trainer checkpoint (no " + CHECKSUMS + ")");
        }
        Map<String, String> expected = parse(Files.readString(sums));
        Map<String, String> actual = parse(checksums(real));
        List<String> problems = new ArrayList<>();
        expected.forEach((file, sum) -> {
            if (!actual.containsKey(file)) {
                problems.add(file + " is missing");
            } else if (!actual.get(file).equals(sum)) {
                problems.add(file + " does not match its checksum");
            }
        });
        if (!problems.isEmpty()) {
            throw new IOException(real + " is corrupt: " + String.join("; ", problems));
        }
        return real;
    }

    /**
     * SHA-256 (hex) of the seal itself: it names every file's checksum, so it identifies the directory's
     * content. A checkpoint replaced in place (a run's {@code best_model} after a better epoch) keeps its
     * path but gets a new fingerprint.
     */
    public static String fingerprint(Path directory) throws IOException {
        return HexFormat.of().formatHex(Fingerprints.sha256().digest(Files.readAllBytes(directory.resolve(CHECKSUMS))));
    }

    private static Map<String, String> parse(String sums) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : sums.split("\n")) {
            if (line.length() > 66) {
                map.put(line.substring(66), line.substring(0, 64));
            }
        }
        return map;
    }

    private static String checksums(Path directory) throws IOException {
        StringBuilder lines = new StringBuilder();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = directory.relativize(file).toString();
                if (!relative.equals(CHECKSUMS)) {
                    lines.append(sha256(file)).append("  ").append(relative).append('\n');
                }
            }
        }
        return lines.toString();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = Fingerprints.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
