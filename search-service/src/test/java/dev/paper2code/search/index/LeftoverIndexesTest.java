package dev.paper2code.search.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverIndexesTest {
    @TempDir
    Path root;

    /** Issue 20.10: the index directories of killed builds stayed forever; at start they go, nothing else does. */
    @Test
    void indexDirectoriesOfAnEarlierProcessAreRemovedAndNothingElse() throws IOException {
        Path killed = Files.createDirectories(root.resolve("index-1764540000000"));
        Files.writeString(killed.resolve("_0.cfs"), "half an index");
        Path served = Files.createDirectories(root.resolve("index-1764540099999"));
        Path other = Files.createDirectories(root.resolve("index-notes"));
        Path file = Files.writeString(root.resolve("README"), "kept");

        List<Path> removed = SearchIndexes.removeLeftoverIndexes(root);

        assertEquals(List.of(killed, served).stream().sorted().toList(), removed.stream().sorted().toList());
        assertTrue(Files.isDirectory(other));
        assertTrue(Files.isRegularFile(file));
        assertEquals(List.of(), SearchIndexes.removeLeftoverIndexes(root.resolve("missing")));
    }
}
