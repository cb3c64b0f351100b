package dev.paper2code.cleaning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedFileTest {
    @TempDir
    Path dir;

    @Test
    void eachArrayElementIsAnEntryWithItsIndexInTheSource() {
        List<CleanedEntry> entries = SeedFile.read(Path.of("src/test/resources/quirks.json"), new EntryCleaner());

        assertEquals(7, entries.size());
        assertEquals(2, entries.get(0).links());
        assertTrue(entries.get(1).junkTitle());
    }

    @Test
    void aFileThatIsNotJsonIsRefusedWithItsLocation() throws IOException {
        Path file = Files.writeString(dir.resolve("broken.json"), "[\n  {\"paper\": }\n]");

        SeedFile.InvalidSeedFileException e = assertThrows(SeedFile.InvalidSeedFileException.class,
                () -> SeedFile.read(file, new EntryCleaner()));

        assertTrue(e.getMessage().contains("broken.json is not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        SeedFile.InvalidSeedFileException e = assertThrows(SeedFile.InvalidSeedFileException.class,
                () -> SeedFile.read(dir.resolve("absent.json"), new EntryCleaner()));

        assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
    }

    @Test
    void aJsonScalarIsNotASeedFile() throws IOException {
        Path file = Files.writeString(dir.resolve("scalar.json"), "42");

        assertThrows(SeedFile.InvalidSeedFileException.class, () -> SeedFile.read(file, new EntryCleaner()));
    }

    @Test
    void aFileBrokenAfterManyGoodEntriesHandsNoEntryToTheSink() throws IOException {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            json.append("{\"paper\": {\"arxiv_id\": \"p").append(i).append("\", \"title\": \"A title\"}, \"repositories\": []},\n");
        }
        Path truncated = Files.writeString(dir.resolve("truncated.json"), json + "{\"paper\": {");
        Path trailing = Files.writeString(dir.resolve("trailing.json"), json.substring(0, json.length() - 2) + "] 7");
        List<CleanedEntry> seen = new java.util.ArrayList<>();

        for (Path file : List.of(truncated, trailing)) {
            SeedFile.InvalidSeedFileException e = assertThrows(SeedFile.InvalidSeedFileException.class,
                    () -> SeedFile.forEach(file, new EntryCleaner(), seen::add));
            assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
        }
        assertEquals(List.of(), seen, "the operator's file is all or nothing");
    }

    @Test
    void entriesStreamInFileOrderWithTheirIndexAsTheSource() throws IOException {
        List<CleanedEntry> whole = SeedFile.read(Path.of("src/test/resources/quirks.json"), new EntryCleaner());
        List<CleanedEntry> streamed = new java.util.ArrayList<>();

        int count = SeedFile.forEach(Path.of("src/test/resources/quirks.json"), new EntryCleaner(), streamed::add);

        assertEquals(7, count);
        assertEquals(whole, streamed);
        Path single = Files.writeString(dir.resolve("one.json"), "{\"paper\": {\"arxiv_id\": \"x\", \"title\": \"T\"}, \"repositories\": []}");
        assertEquals(1, SeedFile.read(single, new EntryCleaner()).size(), "a single entry object is a file of one");
    }
}
