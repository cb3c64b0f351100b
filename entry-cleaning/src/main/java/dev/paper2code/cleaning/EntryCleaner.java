package dev.paper2code.cleaning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.Paper;
import dev.paper2code.contracts.PairIds;
import dev.paper2code.contracts.PaperEntry;
import dev.paper2code.contracts.Repository;
import dev.paper2code.contracts.StrictUtf8;
import dev.paper2code.contracts.TextPair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns seed-format entries into text pairs: one pair per (paper, repository) link. Every link of an
 * entry that can be read yields exactly one outcome; an entry that cannot be read at all yields one
 * rejection carrying the whole entry. Stateless and thread-safe.
 */
public final class EntryCleaner {

    /**
     * Cleans one raw record as it came off the topic: bytes that are not UTF-8 are rejected as they are
     * (the dead letter keeps them exactly), anything else is cleaned as text.
     */
    public List<CleanedEntry> clean(byte[] value, String source) {
        byte[] bytes = value == null ? new byte[0] : value;
        return StrictUtf8.decode(bytes, bytes.length).map(text -> clean(text, source))
                .orElseGet(() -> List.of(new CleanedEntry(List.of(new Outcome.Rejected(RejectReason.MALFORMED_UTF8,
                        RejectReason.MALFORMED_UTF8.description() + " (" + bytes.length + " bytes)", source, null, bytes)),
                        0, false)));
    }

    /**
     * Cleans one raw record. A JSON array is taken as a batch of entries, each cleaned on its own with
     * {@code [i]} appended to the source.
     */
    public List<CleanedEntry> clean(String json, String source) {
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            return List.of(reject(RejectReason.MALFORMED_JSON, firstLine(e), source, json));
        }
        if (root == null || root.isMissingNode()) {
            return List.of(reject(RejectReason.MALFORMED_JSON, "empty record", source, json));
        }
        if (root.isArray()) {
            List<CleanedEntry> entries = new ArrayList<>(root.size());
            for (int i = 0; i < root.size(); i++) {
                entries.add(clean(root.get(i), source + "[" + i + "]"));
            }
            return entries;
        }
        return List.of(clean(root, source));
    }

    /** Cleans one already-parsed entry. */
    public CleanedEntry clean(JsonNode node, String source) {
        String payload = node.toString();
        if (!node.isObject()) {
            return reject(RejectReason.NOT_AN_OBJECT, "found " + node.getNodeType(), source, payload);
        }
        PaperEntry entry;
        try {
            entry = Json.MAPPER.treeToValue(node, PaperEntry.class);
        } catch (IOException e) {
            return reject(RejectReason.SCHEMA_MISMATCH, firstLine(e), source, payload);
        }
        Paper paper = entry.paper();
        if (paper == null) {
            return reject(RejectReason.MISSING_PAPER, RejectReason.MISSING_PAPER.description(), source, payload);
        }
        if (FieldLimits.hasLoneSurrogate(paper.arxivId()) || FieldLimits.hasLoneSurrogate(paper.url())) {
            return reject(RejectReason.INVALID_TEXT, "the paper's arxiv_id or url holds an unpaired surrogate",
                    source, escaped(payload));
        }
        String paperId = paperId(paper);
        if (paperId == null) {
            return reject(RejectReason.MISSING_PAPER_ID, RejectReason.MISSING_PAPER_ID.description(), source, payload);
        }
        Optional<String> paperTooLong = FieldLimits.tooLong("paper id", paperId, FieldLimits.PAPER_ID)
                .or(() -> FieldLimits.tooLong("title", TextCleaning.clean(paper.title()), FieldLimits.TITLE))
                .or(() -> FieldLimits.tooLong("abstract", TextCleaning.clean(paper.abstractText()), FieldLimits.ABSTRACT));
        if (paperTooLong.isPresent()) {
            return reject(RejectReason.FIELD_TOO_LONG, "paper " + abbreviate(paperId) + ": " + paperTooLong.get(),
                    source, payload);
        }
        String paperText = paperText(paper);
        boolean junkTitle = TextCleaning.isJunkTitle(paper.title());
        if (paperText == null) {
            String detail = "paper " + paperId + ": "
                    + (junkTitle ? "the title is an arXiv query echo and the abstract is empty"
                            : "title and abstract are empty");
            return new CleanedEntry(List.of(new Outcome.Rejected(RejectReason.NO_PAPER_TEXT, detail, source,
                    payload)), 0, junkTitle);
        }
        List<Repository> repositories = entry.repositories();
        if (repositories == null || repositories.isEmpty()) {
            return reject(RejectReason.NO_REPOSITORIES, "paper " + paperId + " links no repository", source, payload);
        }
        List<Outcome> outcomes = new ArrayList<>(repositories.size());
        for (int i = 0; i < repositories.size(); i++) {
            Repository repository = repositories.get(i);
            String repoSource = source + "/repositories[" + i + "]";
            String repoPayload = node.path("repositories").path(i).toString();
            String name = repository == null ? null : TextCleaning.clean(repository.name());
            if (name == null) {
                outcomes.add(new Outcome.Rejected(RejectReason.MISSING_REPOSITORY_NAME,
                        "paper " + paperId + ", repository #" + i + " has no name", repoSource, repoPayload));
                continue;
            }
            Optional<Outcome.Rejected> refused = refusal(repository, name, "paper " + paperId + ", repository #" + i,
                    repoSource, repoPayload);
            if (refused.isPresent()) {
                outcomes.add(refused.get());
                continue;
            }
            outcomes.add(new Outcome.Accepted(new TextPair(pairId(paperId, name), paperId, name, paperText,
                    codeText(name, repository), source, TextCleaning.clean(repository.url()),
                    TextCleaning.clean(repository.description()))));
        }
        return new CleanedEntry(List.copyOf(outcomes), repositories.size(), junkTitle);
    }

    /**
     * Why a named repository cannot become a pair: a name that would not round-trip as a record key
     * (unpaired surrogates), a field past {@link FieldLimits}, or a URL a client must not render as a link.
     */
    private static Optional<Outcome.Rejected> refusal(Repository repository, String name, String where,
                                                      String source, String payload) {
        if (FieldLimits.hasLoneSurrogate(repository.name())) {
            return Optional.of(new Outcome.Rejected(RejectReason.INVALID_TEXT,
                    where + ": the name holds an unpaired surrogate", source, escaped(payload)));
        }
        List<String> topics = repository.topics() == null ? List.of() : repository.topics();
        Optional<String> tooLong = FieldLimits.tooLong("name", name, FieldLimits.REPOSITORY_NAME)
                .or(() -> FieldLimits.tooLong("description", TextCleaning.clean(repository.description()),
                        FieldLimits.DESCRIPTION))
                .or(() -> FieldLimits.tooLong("url", TextCleaning.clean(repository.url()), FieldLimits.URL))
                .or(() -> topics.size() > FieldLimits.TOPICS ? Optional.of("topics has " + topics.size()
                        + " entries, more than the " + FieldLimits.TOPICS + " accepted") : Optional.empty())
                .or(() -> topics.stream().map(t -> FieldLimits.tooLong("a topic", t, FieldLimits.TOPIC))
                        .flatMap(Optional::stream).findFirst());
        if (tooLong.isPresent()) {
            return Optional.of(new Outcome.Rejected(RejectReason.FIELD_TOO_LONG,
                    where + " (" + abbreviate(name) + "): " + tooLong.get(), source, payload));
        }
        String url = TextCleaning.clean(repository.url());
        return url == null ? Optional.empty() : FieldLimits.invalidUrl(url).map(why -> new Outcome.Rejected(
                RejectReason.INVALID_URL, where + " (" + name + "): " + why, source, payload));
    }

    /**
     * The payload with every non-ASCII character as a JSON escape ({@code \\udc00}): an unpaired
     * surrogate cannot be written as UTF-8 (it would become {@code ?}, and two such dead letters would
     * be one), but its escape can, and reads back as the same JSON.
     */
    private static String escaped(String json) {
        try {
            return ESCAPING.writeValueAsString(READER.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectWriter ESCAPING = Json.MAPPER.writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);

    /** The first 80 characters of a value for a dead letter's detail (the payload keeps it whole). */
    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "... (" + value.length() + " characters)";
    }

    /** The pair id of a link ({@link PairIds#of}): the key of the pair on every topic. */
    public static String pairId(String paperId, String repositoryName) {
        return PairIds.of(paperId, repositoryName);
    }

    /**
     * How entries are read: a key twice in one object is refused (the last value would silently win and
     * drop links, e.g. two {@code repositories} arrays); floats as written (a numeric {@code "arxiv_id": 2104.08820} must stay
     * {@code 2104.08820}, not become the double 2104.0882).
     */
    public static final ObjectReader READER = Json.MAPPER.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    private static String paperId(Paper paper) {
        String arxivId = TextCleaning.normalizeArxivId(paper.arxivId());
        return arxivId != null ? arxivId : TextCleaning.clean(paper.url());
    }

    private static String paperText(Paper paper) {
        String title = TextCleaning.isJunkTitle(paper.title()) ? null : TextCleaning.clean(paper.title());
        String abstractText = TextCleaning.clean(paper.abstractText());
        return title == null && abstractText == null ? null : TextCleaning.join(title, abstractText);
    }

    private static String codeText(String name, Repository repository) {
        List<String> topics = repository.topics() == null ? List.of()
                : repository.topics().stream().map(TextCleaning::clean).filter(t -> t != null).toList();
        return TextCleaning.join(name, TextCleaning.clean(repository.description()),
                topics.isEmpty() ? null : "topics: " + String.join(", ", topics));
    }

    private static CleanedEntry reject(RejectReason reason, String detail, String source, String payload) {
        return new CleanedEntry(List.of(new Outcome.Rejected(reason, detail, source, payload)), 0, false);
    }

    private static String firstLine(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String location = e instanceof JsonProcessingException j && j.getLocation() != null
                ? " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")"
                : "";
        return message.lines().findFirst().orElse(message) + location;
    }
}
