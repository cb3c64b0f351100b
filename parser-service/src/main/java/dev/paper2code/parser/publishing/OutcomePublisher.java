package dev.paper2code.parser.publishing;

import dev.paper2code.contracts.DeadLetter;
import dev.paper2code.contracts.JsonSerde;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.cleaning.CleanedEntry;
import dev.paper2code.cleaning.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends the outcomes of cleaned entries: pairs to the pairs topic, rejections to the dead-letter topic,
 * and nothing for what {@link PublishedIndex} says is already there. Runs inside the caller's Kafka
 * transaction; the caller commits or aborts both the transaction and the index.
 */
public final class OutcomePublisher {
    /** Dead letters of this stage are keyed {@code parser:...}, which is how the index finds its own at start. */
    static final String STAGE = "parser";

    private final Producer<String, byte[]> producer;
    private final PublishedIndex index;
    private final String pairsTopic;
    private final String deadLetterTopic;
    private final MeterRegistry meters;
    private final Clock clock;
    private final JsonSerde<TextPair> pairSerde = JsonSerde.of(TextPair.class);
    private final JsonSerde<DeadLetter> deadLetterSerde = JsonSerde.of(DeadLetter.class);

    public OutcomePublisher(Producer<String, byte[]> producer, PublishedIndex index, String pairsTopic,
            String deadLetterTopic, MeterRegistry meters, Clock clock) {
        this.producer = producer;
        this.index = index;
        this.pairsTopic = pairsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.meters = meters;
        this.clock = clock;
    }

    public Tally publish(List<CleanedEntry> entries) {
        Tally tally = new Tally();
        for (CleanedEntry entry : entries) {
            tally.entry(entry.links(), entry.junkTitle());
            for (Outcome outcome : entry.outcomes()) {
                if (outcome instanceof Outcome.Accepted accepted) {
                    publishPair(accepted.pair(), tally);
                } else if (outcome instanceof Outcome.Rejected rejected) {
                    publishDeadLetter(rejected, tally);
                }
            }
        }
        return tally;
    }

    private void publishPair(TextPair pair, Tally tally) {
        if (!index.claim(pair.pairId(), PublishedIndex.fingerprint(pair))) {
            tally.skipAlreadyPublished();
            count("already_published", "none");
            return;
        }
        producer.send(new ProducerRecord<>(pairsTopic, pair.pairId(), pairSerde.serialize(pairsTopic, pair)));
        tally.createPair();
        count("pair", "none");
    }

    private void publishDeadLetter(Outcome.Rejected rejected, Tally tally) {
        DeadLetter letter = rejected.bytes() != null
                ? DeadLetter.of(STAGE, rejected.reason().name(), rejected.detail(), rejected.source(), rejected.bytes(),
                        clock.instant())
                : DeadLetter.ofText(STAGE, rejected.reason().name(), rejected.detail(), rejected.source(),
                        rejected.payload(), clock.instant());
        // Keyed by content, so the same bad input published twice is recognised as already dead-lettered.
        String key = letter.key();
        if (!index.claim(key, letter.fingerprint())) {
            tally.skipAlreadyPublished();
            count("already_published", rejected.reason().name());
            return;
        }
        producer.send(new ProducerRecord<>(deadLetterTopic, key, deadLetterSerde.serialize(deadLetterTopic, letter)));
        tally.deadLetter(rejected.reason().name());
        count("dead_letter", rejected.reason().name());
    }

    private void count(String outcome, String reason) {
        Counter.builder("paper2code.parser.outcomes")
                .description("Repository links and rejected entries handled by the parser")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(meters)
                .increment();
    }
}
