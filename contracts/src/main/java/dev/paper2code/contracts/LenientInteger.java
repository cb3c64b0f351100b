package dev.paper2code.contracts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * For optional integer fields of user data ({@code stars}, {@code year}): a value that is not an
 * integer in range ({@code 1e20}, {@code "many"}, {@code 3.5}, an object) reads as absent instead of
 * failing the whole entry, whose other fields and repositories are still good.
 */
public final class LenientInteger extends JsonDeserializer<Integer> {
    @Override
    public Integer deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(parser.getText().trim());
            return value.intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
