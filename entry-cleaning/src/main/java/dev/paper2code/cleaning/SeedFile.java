package dev.paper2code.cleaning;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@code paper_code_pairs.json} file: a JSON array of entries (a single entry object is accepted
 * too). The file as a whole must be valid JSON, since it is the operator's input rather than a user's
 * record; single bad entries inside it are dead-lettered like any other.
 */
public final class SeedFile {
    /** Reads one entry where the parser stands: the entries after it are not trailing tokens here. */
    private static final ObjectReader ENTRY_READER = EntryCleaner.READER.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private SeedFile() {
    }

    /** Every entry of the file, cleaned, in file order (the whole file in memory: small files and tests). */
    public static List<CleanedEntry> read(Path path, EntryCleaner cleaner) {
        List<CleanedEntry> entries = new ArrayList<>();
        forEach(path, cleaner, entries::add);
        return entries;
    }

    /**
     * Cleans the file's entries one at a time, in file order, and hands each to {@code sink} before the
     * next is read: memory stays at one entry whatever the file's size (a 300,000-link export is several
     * hundred MiB of JSON and several GiB as one tree). The file is checked first in one streaming pass,
     * so a file that is not JSON, or not an array or object, fails before any entry reaches {@code sink}
     * (the operator's input is all or nothing, as when it was read whole); an entry that is not an
     * object is dead-lettered by the cleaner like any other.
     *
     * @return the number of entries read
     */
    public static int forEach(Path path, EntryCleaner cleaner, Consumer<CleanedEntry> sink) {
        check(path);
        String source = "file:" + path.getFileName();
        int index = 0;
        try (JsonParser parser = EntryCleaner.READER.createParser(Files.newInputStream(path))) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode entry = ENTRY_READER.readTree(parser);
                sink.accept(cleaner.clean(entry, source + "#0"));
                return 1;
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new JsonParseException(parser, "the file ends inside the array (it changed while it was read)");
                }
                JsonNode entry = ENTRY_READER.readTree(parser);
                sink.accept(cleaner.clean(entry, source + "#" + index++));
            }
        } catch (IOException e) {
            throw unreadable(path, e);
        }
        return index;
    }

    /** One pass over every token: the whole file is JSON, an array or an object, and nothing follows it. */
    private static void check(Path path) {
        try (JsonParser parser = EntryCleaner.READER.createParser(Files.newInputStream(path))) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY && first != JsonToken.START_OBJECT) {
                throw new InvalidSeedFileException(path + " must hold a JSON array of {paper, repositories} entries", null);
            }
            String what = first == JsonToken.START_ARRAY ? "array" : "object";
            parser.skipChildren();
            if (parser.currentToken() == null) {
                throw new JsonParseException(parser, "the file ends inside the " + what);
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "content after the " + what);
            }
        } catch (IOException e) {
            throw unreadable(path, e);
        }
    }

    /** Not JSON (with where it stops being JSON), or not readable at all. */
    private static InvalidSeedFileException unreadable(Path path, IOException e) {
        if (e instanceof JsonProcessingException json) {
            return new InvalidSeedFileException(path + " is not valid JSON: " + json.getOriginalMessage()
                    + (json.getLocation() == null ? "" : " at line " + json.getLocation().getLineNr()
                            + ", column " + json.getLocation().getColumnNr()), e);
        }
        return new InvalidSeedFileException("Cannot read " + path + ": " + e.getMessage(), e);
    }

    public static final class InvalidSeedFileException extends RuntimeException {
        InvalidSeedFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
