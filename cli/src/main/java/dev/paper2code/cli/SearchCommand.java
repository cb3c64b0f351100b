package dev.paper2code.cli;

import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.parser.cleaning.CleanedEntry;
import dev.paper2code.parser.cleaning.EntryCleaner;
import dev.paper2code.parser.cleaning.Outcome;
import dev.paper2code.parser.ingest.SeedFile;
import dev.paper2code.retrieval.SearchResults;
import dev.paper2code.retrieval.ServingIndex;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.index.HnswOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code search}: the repositories of a pairs file ranked for a query by a trained checkpoint, offline
 * (no Kafka, no service): the file is cleaned as the parser cleans it, every repository embedded with
 * the checkpoint's code encoder into a temporary Lucene index, the query with its paper encoder.
 *
 * <pre>
 *   bin/search --model-dir CHECKPOINT [--pairs FILE] [--k N] [--exact] [--json] (--paper ID | QUERY...)
 * </pre>
 */
public final class SearchCommand {
    static final Path DEFAULT_PAIRS = Path.of("data/sample/paper_code_pairs.json");
    private static final String USAGE = "Usage: search --model-dir CHECKPOINT [--pairs FILE] [--k N] [--exact] [--json]"
            + " (--paper ARXIV_ID | QUERY TEXT...)\n  --pairs defaults to " + DEFAULT_PAIRS + "; --k to 10";

    private SearchCommand() {
    }

    public static void main(String[] args) throws IOException {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException | SeedFile.InvalidSeedFileException e) {
            System.err.println("search: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /** The options of one call. */
    record Options(Path modelDir, Path pairs, int k, boolean exact, boolean json, String paper, String query) {
    }

    static Options parse(String[] args) {
        Path modelDir = null;
        Path pairs = DEFAULT_PAIRS;
        int k = 10;
        boolean exact = false;
        boolean json = false;
        String paper = null;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--exact" -> exact = true;
                case "--json" -> json = true;
                case "--model-dir", "--pairs", "--k", "--paper" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--model-dir" -> modelDir = Path.of(value);
                        case "--pairs" -> pairs = Path.of(value);
                        case "--paper" -> paper = value;
                        default -> k = positive(value);
                    }
                }
                default -> {
                    if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    words.add(arg);
                }
            }
        }
        if (modelDir == null) {
            throw new IllegalArgumentException("--model-dir is required (a checkpoint the trainer wrote, e.g. best_model)");
        }
        String query = String.join(" ", words).strip();
        if ((paper == null) == query.isEmpty()) {
            throw new IllegalArgumentException("give either --paper ID or a query text");
        }
        return new Options(modelDir, pairs, k, exact, json, paper, query.isEmpty() ? null : query);
    }

    private static int positive(String value) {
        try {
            int k = Integer.parseInt(value);
            if (k >= 1 && k <= 1000) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--k must be a whole number between 1 and 1000, not " + value);
    }

    /** The pairs a seed file holds, as the parser would publish them. */
    static List<TextPair> pairs(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no pairs file " + file);
        }
        List<TextPair> pairs = new ArrayList<>();
        for (CleanedEntry entry : SeedFile.read(file, new EntryCleaner())) {
            for (Outcome outcome : entry.outcomes()) {
                if (outcome instanceof Outcome.Accepted accepted) {
                    pairs.add(accepted.pair());
                }
            }
        }
        return pairs;
    }

    /** @return the exit status: 0 answered, 1 the paper is not in the file */
    static int run(String[] args, PrintStream out) throws IOException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Options options = parse(args);
        Corpus corpus = Corpus.of(pairs(options.pairs()));
        Path indexDir = Files.createTempDirectory("paper2code-search");
        ServingIndex.Method method = options.exact() ? ServingIndex.Method.EXACT : ServingIndex.Method.HNSW;
        try (ServingIndex index = ServingIndex.build(options.modelDir(), corpus, indexDir, HnswOptions.DEFAULTS)) {
            SearchResults results;
            if (options.paper() != null) {
                var found = index.searchPaper(corpus, options.paper(), options.k(), method);
                if (found.isEmpty()) {
                    System.err.println("search: no paper " + options.paper() + " in " + options.pairs());
                    return 1;
                }
                results = found.get();
            } else {
                results = index.search(options.query(), options.k(), method);
            }
            if (options.json()) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
            } else {
                print(out, options, corpus, results);
            }
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(indexDir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void print(PrintStream out, Options options, Corpus corpus, SearchResults results) {
        var checkpoint = results.checkpoint();
        out.printf("checkpoint: run %s, epoch %s (%s)%n", checkpoint.runId(), checkpoint.epoch(), checkpoint.path());
        out.printf("corpus: %d repositories, %d papers from %s; %s search%n", corpus.repositoryCount(),
                corpus.paperCount(), options.pairs(), results.method());
        String query = options.paper() != null ? "paper " + options.paper() : '"' + abbreviate(options.query(), 70) + '"';
        out.printf("query: %s (%d tokens%s)%n", query, results.queryTokens(),
                results.queryTruncated() ? ", truncated to the model's " + checkpoint.maxLength() : "");
        var relevant = options.paper() == null ? java.util.Set.<String>of()
                : corpus.paper(options.paper()).orElseThrow().repositoryKeys();
        for (SearchResults.Result result : results.results()) {
            boolean hit = relevant.contains(Corpus.key(result.repository()));
            out.printf("%3d  %.4f  %s%-40s %s%n", result.rank(), result.score(), hit ? "* " : "  ", result.repository(),
                    abbreviate(result.description() == null ? "" : result.description(), 60));
        }
        if (options.paper() != null) {
            out.println("(* = a repository the paper links)");
        }
    }

    static String abbreviate(String text, int width) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }
}
