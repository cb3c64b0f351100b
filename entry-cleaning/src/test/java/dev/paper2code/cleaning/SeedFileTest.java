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
}
