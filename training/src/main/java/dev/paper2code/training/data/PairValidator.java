package dev.paper2code.training.data;

import dev.paper2code.contracts.TokenizedPair;
import java.util.Optional;

/**
 * Whether a tokenized record can go into a batch of this model: every field there, ids and masks of
 * one length, ids inside the vocabulary, and no more ids than the model has positions (or than the
 * record's own max_length, for a model sized from the data). What fails here would otherwise fail a
 * step far from its cause ("index out of range in self"), allocate without bound (100,000 ids), train
 * on nothing (empty ids), or silently resize a model trained from scratch.
 *
 * @param vocabularySize the model's vocabulary: every id must be below it
 * @param maxTokens      the model's positions, or 0 when the model is sized from the data (each record
 *                       is then held to its own {@code max_length})
 */
public record PairValidator(int vocabularySize, int maxTokens) {

    /** The reason this record cannot be trained on, or empty when it can. */
    public Optional<String> problem(TokenizedPair pair) {
        if (pair.pairId() == null || pair.paperId() == null || pair.repository() == null) {
            return Optional.of("MISSING_ID: pair_id, paper_id and repository are required");
        }
        if (pair.tokenizerFingerprint() == null) {
            return Optional.of("NO_TOKENIZER: no tokenizer_fingerprint");
        }
        return side("paper", pair.paperInputIds(), pair.paperAttentionMask(), pair.maxLength())
                .or(() -> side("code", pair.codeInputIds(), pair.codeAttentionMask(), pair.maxLength()));
    }

    private Optional<String> side(String side, int[] ids, int[] mask, int declaredMaxLength) {
        if (ids == null || ids.length == 0) {
            return Optional.of("EMPTY_IDS: no " + side + " input ids");
        }
        if (mask == null || mask.length != ids.length) {
            return Optional.of("MASK_MISMATCH: " + side + " attention mask has " + (mask == null ? 0 : mask.length)
                    + " entries for " + ids.length + " ids");
        }
        int limit = maxTokens > 0 ? maxTokens : declaredMaxLength;
        if (ids.length > limit) {
            return Optional.of("TOO_LONG: " + ids.length + " " + side + " ids, more than the " + limit
                    + (maxTokens > 0 ? " positions of the model" : " of the record's max_length"));
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                return Optional.of("ID_OUT_OF_VOCABULARY: " + side + " id " + ids[i] + " at position " + i
                        + " is outside the vocabulary of " + vocabularySize);
            }
        }
        return Optional.empty();
    }

    /** The stable code at the start of a problem ({@code TOO_LONG}, ...). */
    public static String reason(String problem) {
        int colon = problem.indexOf(':');
        return colon < 0 ? problem : problem.substring(0, colon);
    }
}
