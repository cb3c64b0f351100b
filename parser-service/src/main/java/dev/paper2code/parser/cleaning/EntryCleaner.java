package dev.paper2code.parser.cleaning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.Paper;
import dev.paper2code.contracts.PaperEntry;
import dev.paper2code.contracts.Repository;
import dev.paper2code.contracts.TextPair;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns seed-format entries into text pairs: one pair per (paper, repository) link. Every link of an
 * entry that can be read yields exactly one outcome; an entry that cannot be read at all yields one
 * rejection carrying the whole entry. Stateless and thread-safe.
 */
public final class EntryCleaner {

    /**
     * Cleans one raw record. A JSON array is taken as a batch of entries, each cleaned on its own with
     * {@code [i]} appended to the source.
     */
    public List<CleanedEntry> clean(String json, String source) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
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
        String paperId = paperId(paper);
        if (paperId == null) {
            return reject(RejectReason.MISSING_PAPER_ID, RejectReason.MISSING_PAPER_ID.description(), source, payload);
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
            String name = repository == null ? null : TextCleaning.clean(repository.name());
            if (name == null) {
                outcomes.add(new Outcome.Rejected(RejectReason.MISSING_REPOSITORY_NAME,
                        "paper " + paperId + ", repository #" + i + " has no name", repoSource,
                        node.path("repositories").path(i).toString()));
                continue;
            }
            outcomes.add(new Outcome.Accepted(new TextPair(pairId(paperId, name), paperId, name, paperText,
                    codeText(name, repository), source)));
        }
        return new CleanedEntry(List.copyOf(outcomes), repositories.size(), junkTitle);
    }

    public static String pairId(String paperId, String repositoryName) {
        // Repository names are case-insensitive on the hosting sites, so Foo/Bar and foo/bar are one repo.
        return paperId + "::" + repositoryName.toLowerCase(Locale.ROOT);
    }

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
