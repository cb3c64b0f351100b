package dev.paper2code.cleaning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code paper_code_pairs.json} file: a JSON array of entries (a single entry object is accepted
 * too). The file as a whole must be valid JSON, since it is the operator's input rather than a user's
 * record; single bad entries inside it are dead-lettered like any other.
 */
public final class SeedFile {
    private SeedFile() {
    }

    public static List<CleanedEntry> read(Path path, EntryCleaner cleaner) {
        JsonNode root;
        try {
            root = EntryCleaner.READER.readTree(Files.newInputStream(path));
        } catch (JsonProcessingException e) {
            throw new InvalidSeedFileException(path + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new InvalidSeedFileException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        if (root == null || !(root.isArray() || root.isObject())) {
            throw new InvalidSeedFileException(path + " must hold a JSON array of {paper, repositories} entries", null);
        }
        String source = "file:" + path.getFileName();
        if (root.isObject()) {
            return List.of(cleaner.clean(root, source + "#0"));
        }
        List<CleanedEntry> entries = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            entries.add(cleaner.clean(root.get(i), source + "#" + i));
        }
        return entries;
    }

    public static final class InvalidSeedFileException extends RuntimeException {
        InvalidSeedFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
