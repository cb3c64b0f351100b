package dev.paper2code.tokenizer.topology;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.PairIds;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenizer.split.SplitAssigner;
import java.time.Clock;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Reads a pairs-topic record as raw bytes, so that a record no one can read becomes a dead letter
 * instead of stopping the stream, then tokenizes both texts and assigns the split; a tombstone (a
 * deleted pair) becomes a delete in its paper's split.
 */
final class TokenizeProcessor implements FixedKeyProcessor<String, byte[], TokenizeResult> {
    static final String STAGE = "tokenizer";

    enum Reason { EMPTY_RECORD, UNREADABLE_PAIR, KEY_MISMATCH, EMPTY_PAPER_TOKENS, EMPTY_CODE_TOKENS, TOKENIZATION_FAILED }

    private final TruncatingTokenizer tokenizer;
    private final SplitAssigner splits;
    private final Clock clock;
    private final JsonSerde<TextPair> pairSerde = JsonSerde.of(TextPair.class);
    private FixedKeyProcessorContext<String, TokenizeResult> context;

    TokenizeProcessor(TruncatingTokenizer tokenizer, SplitAssigner splits, Clock clock) {
        this.tokenizer = tokenizer;
        this.splits = splits;
        this.clock = clock;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TokenizeResult> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
        context.forward(record.withValue(tokenize(record.key(), record.value(), source())));
    }

    private TokenizeResult tokenize(String key, byte[] value, String source) {
        if (value == null) {
            // A delete: the tombstone goes on to the topic of the split the pair's paper is in, so the
            // trainer drops the pair and the statistics forget it.
            String paperId = PairIds.paperIdOf(key);
            return paperId == null
                    ? reject(Reason.EMPTY_RECORD, "a tombstone for '" + key + "', which is no pair id", source, new byte[0])
                    : TokenizeResult.deleted(splits.splitOf(paperId));
        }
        byte[] payload = value;
        TextPair pair;
        try {
            pair = pairSerde.deserialize(source, value);
        } catch (SerializationException e) {
            return reject(Reason.UNREADABLE_PAIR, e.getMessage(), source, payload);
        }
        if (pair == null || pair.pairId() == null || pair.paperId() == null) {
            return reject(Reason.UNREADABLE_PAIR, "a pair needs pairId and paperId", source, payload);
        }
        if (!pair.pairId().equals(key)) {
            // The topic is compacted by key and every consumer keys by pair id: a pair under another key
            // would be a second training example of the same pair that no later version replaces.
            return reject(Reason.KEY_MISMATCH, "record key '" + key + "' is not the pair's id '" + pair.pairId()
                    + "': a pair is published under its own id", source, payload);
        }
        try {
            TruncatingTokenizer.Encoded paper = tokenizer.encode(pair.paperText());
            if (paper.contentTokens() == 0) {
                return reject(Reason.EMPTY_PAPER_TOKENS, "pair " + pair.pairId() + ": the paper text has no tokens", source, payload);
            }
            TruncatingTokenizer.Encoded code = tokenizer.encode(pair.codeText());
            if (code.contentTokens() == 0) {
                return reject(Reason.EMPTY_CODE_TOKENS, "pair " + pair.pairId() + ": the code text has no tokens", source, payload);
            }
            return TokenizeResult.tokenized(new TokenizedPair(pair.pairId(), pair.paperId(), pair.repository(),
                    splits.splitOf(pair.paperId()),
                    paper.inputIds(), paper.attentionMask(), paper.truncated(),
                    code.inputIds(), code.attentionMask(), code.truncated(),
                    tokenizer.fingerprint(), tokenizer.maxLength()));
        } catch (RuntimeException e) {
            return reject(Reason.TOKENIZATION_FAILED, "pair " + pair.pairId() + ": " + e, source, payload);
        }
    }

    private String source() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("unknown");
    }

    /** The payload travels as bytes: the dead letter keeps it as text when it is UTF-8, base64 otherwise, cut past 64 KiB. */
    private TokenizeResult reject(Reason reason, String detail, String source, byte[] payload) {
        return TokenizeResult.rejected(DeadLetter.of(STAGE, reason.name(), detail, source, payload, clock.instant()));
    }
}
