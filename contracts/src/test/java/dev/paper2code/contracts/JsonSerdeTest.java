package dev.paper2code.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

    @Test
    void readsTheSeedFileFieldNames() {
        String json = """
                {"paper": {"arxiv_id": "1706.03762", "title": "Attention Is All You Need",
                           "abstract": "Transformers.", "year": 2017, "extra": true},
                 "repositories": [{"name": "tensorflow/tensor2tensor", "description": null,
                                   "topics": ["nlp"], "forks": 3}]}
                """;
        PaperEntry entry = JsonSerde.of(PaperEntry.class).deserialize("t", json.getBytes(StandardCharsets.UTF_8));

        assertEquals("1706.03762", entry.paper().arxivId());
        assertEquals("Transformers.", entry.paper().abstractText());
        assertEquals(2017, entry.paper().year());
        assertEquals("tensorflow/tensor2tensor", entry.repositories().get(0).name());
        assertNull(entry.repositories().get(0).description());
        assertEquals(List.of("nlp"), entry.repositories().get(0).topics());
    }

    @Test
    void roundTripsEventRecords() {
        JsonSerde<DeadLetter> serde = JsonSerde.of(DeadLetter.class);
        DeadLetter letter = DeadLetter.ofText("parser", "NO_PAPER_TEXT", "empty", "file:x#3", "{}",
                Instant.parse("2026-01-02T03:04:05Z"));

        byte[] bytes = serde.serialize("t", letter);

        assertEquals(letter, serde.deserialize("t", bytes));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertEquals(true, text.contains("\"at\":\"2026-01-02T03:04:05Z\""), text);
    }

    @Test
    void malformedInputIsASerializationExceptionNamingTheTopic() {
        JsonSerde<TextPair> serde = JsonSerde.of(TextPair.class);

        SerializationException e = assertThrows(SerializationException.class,
                () -> serde.deserialize("paper2code.pairs", "{not json".getBytes(StandardCharsets.UTF_8)));

        assertEquals(true, e.getMessage().contains("paper2code.pairs"), e.getMessage());
    }
}
