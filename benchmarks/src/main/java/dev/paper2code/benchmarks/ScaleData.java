package dev.paper2code.benchmarks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paper2code.contracts.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A {@code paper_code_pairs.json} of any size with the shape of the real exports, deterministic from a
 * seed, written as a stream (constant memory whatever the size): papers with titles of 6-14 words and
 * abstracts of 120-260 (the real data: 173 words on average, 19-288), 1-7 repositories per paper with a
 * long tail (P(k) falling geometrically: 80% one, 12% two, ... 0.4% seven), repositories shared between
 * papers by preferential attachment (a repository already linked is picked again in proportion to its
 * links, so a few are linked from dozens of papers, as popular libraries are), descriptions of 4-16
 * words with 11% null (as in the real data), and 1% junk entries of the kinds real exports have: an
 * arXiv query echo as the title, no repositories, a repository without a name.
 *
 * <p>Words come from the project's own sample ({@code data/sample/paper_code_pairs.json}, written for
 * the project), drawn with their frequencies there, so texts have realistic token counts for the
 * tokenizers; a repository's description and name reuse words of its first paper's title, so the pairs
 * are related as real ones are. Nothing of the shared data is read or copied.
 */
final class ScaleData {
    /** Links per paper, 1..7: geometric-like long tail (mean 1.33 links per paper). */
    private static final double[] LINKS_PER_PAPER = {0.80, 0.12, 0.04, 0.02, 0.01, 0.006, 0.004};
    /** The share of links that go to a repository no earlier paper linked: 2/3 gives 200k repositories for 300k links. */
    static final double NEW_REPOSITORY_SHARE = 2.0 / 3.0;
    private static final double NULL_DESCRIPTION_SHARE = 0.11;
    private static final double JUNK_SHARE = 0.01;
    private static final String[] LANGUAGES = {"Python", "Jupyter Notebook", "C++", "Julia", "Lua", "Java", "Rust", "MATLAB"};

    /** What was written. */
    record Summary(int papers, int links, int repositories, int junk, long bytes) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d papers, %,d links to %,d repositories, %,d junk entries, %,d MiB",
                    papers, links, repositories, junk, bytes >> 20);
        }
    }

    private final SplittableRandom random;
    private final List<String> words = new ArrayList<>();

    private ScaleData(long seed, Path sample) throws IOException {
        this.random = new SplittableRandom(seed);
        JsonNode entries = Json.MAPPER.readTree(sample.toFile());
        for (JsonNode entry : entries) {
            addWords(entry.path("paper").path("title").asText(""));
            addWords(entry.path("paper").path("abstract").asText(""));
            for (JsonNode repository : entry.path("repositories")) {
                addWords(repository.path("description").asText(""));
                repository.path("topics").forEach(topic -> addWords(topic.asText()));
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException(sample + " has no text to draw words from");
        }
    }

    /** Writes entries until {@code links} links are out (a last paper may stop short of its drawn count). */
    static Summary write(Path out, int links, long seed, Path sample) throws IOException {
        return new ScaleData(seed, sample).write(out, links);
    }

    private Summary write(Path out, int totalLinks) throws IOException {
        // Preferential attachment: every link's repository id, so that a uniform pick of an earlier link
        // picks a repository in proportion to its links.
        int[] linkRepository = new int[totalLinks];
        List<String> repositoryNames = new ArrayList<>();
        List<String> repositoryDescriptions = new ArrayList<>();
        int links = 0;
        int papers = 0;
        int junk = 0;
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out.toFile(), JsonEncoding.UTF8)) {
            json.writeStartArray();
            while (links < totalLinks) {
                papers++;
                String id = String.format(Locale.ROOT, "%02d%02d.%05d", 15 + papers / 1_200_000, 1 + (papers / 100_000) % 12,
                        papers % 100_000);
                String title = capitalised(sentence(6 + random.nextInt(9)));
                double kind = random.nextDouble();
                boolean junkEntry = kind < JUNK_SHARE;
                json.writeStartObject();
                json.writeObjectFieldStart("paper");
                json.writeStringField("arxiv_id", id);
                json.writeStringField("title", junkEntry && kind < JUNK_SHARE / 3
                        ? "arXiv Query: search_query=&id_list=" + id + "&start=0&max_results=10" : title);
                json.writeNumberField("year", 2015 + papers % 11);
                json.writeStringField("category", "cs.LG");
                json.writeStringField("url", "https://arxiv.org/abs/" + id);
                json.writeStringField("abstract", capitalised(sentence(120 + random.nextInt(141))) + ".");
                json.writeEndObject();
                json.writeArrayFieldStart("repositories");
                int count = junkEntry && kind >= JUNK_SHARE / 3 && kind < 2 * JUNK_SHARE / 3 ? 0 : linksOfOnePaper();
                for (int i = 0; i < count && links < totalLinks; i++) {
                    int repository;
                    if (links == 0 || random.nextDouble() < NEW_REPOSITORY_SHARE) {
                        repository = repositoryNames.size();
                        String[] titleWords = title.toLowerCase(Locale.ROOT).split(" ");
                        repositoryNames.add(sentence(1).replaceAll("[^a-z0-9]", "") + repository + "/"
                                + titleWords[random.nextInt(titleWords.length)].replaceAll("[^a-z0-9]", "")
                                + (random.nextBoolean() ? "-" : "_") + sentence(1).replaceAll("[^a-z0-9]", ""));
                        repositoryDescriptions.add(random.nextDouble() < NULL_DESCRIPTION_SHARE ? null
                                : capitalised(titleWords[random.nextInt(titleWords.length)] + " " + sentence(3 + random.nextInt(13))));
                    } else {
                        repository = linkRepository[random.nextInt(links)];
                    }
                    linkRepository[links++] = repository;
                    boolean nameless = junkEntry && kind >= 2 * JUNK_SHARE / 3 && i == 0;
                    json.writeStartObject();
                    json.writeStringField("url", "https://github.com/" + repositoryNames.get(repository));
                    json.writeStringField("name", nameless ? null : repositoryNames.get(repository));
                    json.writeStringField("description", repositoryDescriptions.get(repository));
                    json.writeNumberField("stars", random.nextInt(20_000));
                    json.writeStringField("language", LANGUAGES[repository % LANGUAGES.length]);
                    json.writeArrayFieldStart("topics");
                    for (int t = repository % 4; t > 0; t--) {
                        json.writeString(sentence(1).toLowerCase(Locale.ROOT));
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
                junk += junkEntry ? 1 : 0;
            }
            json.writeEndArray();
        }
        return new Summary(papers, links, repositoryNames.size(), junk, Files.size(out));
    }

    private int linksOfOnePaper() {
        double u = random.nextDouble();
        for (int k = 0; k < LINKS_PER_PAPER.length; k++) {
            u -= LINKS_PER_PAPER[k];
            if (u < 0) {
                return k + 1;
            }
        }
        return LINKS_PER_PAPER.length;
    }

    private void addWords(String text) {
        for (String word : text.split("\\s+")) {
            String clean = word.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$", "");
            if (!clean.isEmpty()) {
                words.add(clean);
            }
        }
    }

    /** {@code n} words drawn with the sample's frequencies, joined by spaces. */
    private String sentence(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(words.get(random.nextInt(words.size())));
        }
        return text.toString();
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
