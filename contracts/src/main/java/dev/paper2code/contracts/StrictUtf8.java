package dev.paper2code.contracts;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Bytes as text only when they really are UTF-8 ({@code new String(bytes, UTF_8)} would replace what is
 * not with U+FFFD, and the original bytes would be lost): how inputs are told from binary ones.
 */
public final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** The first {@code length} bytes as text, or empty when they are not UTF-8. */
    public static Optional<String> decode(byte[] bytes, int length) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
