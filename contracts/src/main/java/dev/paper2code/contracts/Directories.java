package dev.paper2code.contracts;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Directory chores the services share: one recursive delete, and the removal of a crash's leftovers. */
public final class Directories {
    private Directories() {
    }

    /** Deletes {@code directory} and everything under it (links themselves, not their targets); nothing when it does not exist. */
    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Deletes the entries directly under {@code parent} whose names {@code leftover} accepts (what a
     * process killed mid-write leaves: temporary checkpoint or index directories) and returns them.
     * Call it at start, before this process writes any such entry itself. Nothing when {@code parent}
     * does not exist.
     */
    public static List<Path> removeLeftovers(Path parent, Predicate<String> leftover) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                if (leftover.test(entry.getFileName().toString())) {
                    deleteRecursively(entry);
                    removed.add(entry);
                }
            }
        }
        return removed;
    }
}
