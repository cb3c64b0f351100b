package dev.paper2code.contracts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A dead letter always fits on a topic with the broker's default 1 MB limit, whatever was rejected. */
class DeadLetterTest {
    private static final int BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    private static final Instant AT = Instant.parse("2026-11-24T00:00:00Z");

    @Test
    void aNearlyOneMegabyteValueOfQuotesBecomesADeadLetterThatFitsOnTheTopic() {
        byte[] quotes = new byte[990 * 1024];
        Arrays.fill(quotes, (byte) '"');
        DeadLetter letter = DeadLetter.of("tokenizer", "UNREADABLE_PAIR", "x".repeat(100_000), "pairs-0@7", quotes, AT);

        byte[] serialized = Topics.DEAD_LETTERS.serializeValue(letter);
        // Every quote is escaped as \" in JSON: uncapped, this was 1.98 MB and failed with RecordTooLargeException.
        assertTrue(serialized.length < BROKER_DEFAULT_MAX_MESSAGE_BYTES / 4, "dead letter of " + serialized.length + " bytes");
        assertTrue(letter.payloadTruncated());
        assertEquals(quotes.length, letter.payloadBytes());
        assertEquals(HexFormat.of().formatHex(Fingerprints.sha256().digest(quotes)), letter.payloadSha256());
        assertEquals(DeadLetter.MAX_PAYLOAD_BYTES, letter.payload().length());
        assertTrue(letter.detail().length() < 2100, "the detail is capped too");
        assertEquals("pairs-0@7", letter.source(), "where the whole record can be found");
        assertEquals(letter, Topics.DEAD_LETTERS.deserializeValue(serialized));
    }

    @Test
    void binaryPayloadsAreKeptExactlyAsBase64() {
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3};
        DeadLetter letter = DeadLetter.of("parser", "MALFORMED_UTF8", "not UTF-8", "raw-1@2", binary, AT);

        assertEquals(DeadLetter.BASE64, letter.payloadEncoding());
        assertFalse(letter.payloadTruncated());
        assertArrayEquals(binary, Topics.DEAD_LETTERS.deserializeValue(Topics.DEAD_LETTERS.serializeValue(letter)).payloadAsBytes());
    }

    @Test
    void textPayloadsStayReadableAndKeyedAsBefore() {
        DeadLetter letter = DeadLetter.ofText("parser", "NO_PAPER_TEXT", "empty", "file:x#3", "{\"paper\":{}}", AT);

        assertEquals(DeadLetter.UTF_8, letter.payloadEncoding());
        assertEquals("{\"paper\":{}}", letter.payload());
        assertEquals(Fingerprints.of("parser", "NO_PAPER_TEXT", "{\"paper\":{}}"), letter.fingerprint(),
                "whole payloads keep the key they had, so restarts recognise earlier dead letters");
    }

    @Test
    void twoLargePayloadsWithTheSameFirst64KibAreDifferentDeadLetters() {
        byte[] first = new byte[DeadLetter.MAX_PAYLOAD_BYTES + 10];
        Arrays.fill(first, (byte) 'a');
        byte[] second = first.clone();
        second[second.length - 1] = 'b';

        assertNotEquals(DeadLetter.of("p", "R", "", "s", first, AT).key(), DeadLetter.of("p", "R", "", "s", second, AT).key());
    }

    @Test
    void aCutInsideAMultiByteCharacterStillGivesText() {
        byte[] text = "é".repeat(DeadLetter.MAX_PAYLOAD_BYTES).getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.of("p", "R", "", "s", Arrays.copyOf(text, DeadLetter.MAX_PAYLOAD_BYTES + 1), AT);

        assertEquals(DeadLetter.UTF_8, letter.payloadEncoding());
        assertTrue(letter.payload().chars().allMatch(c -> c == 'é'));
    }
}
