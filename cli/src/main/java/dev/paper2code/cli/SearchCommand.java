package dev.paper2code.cli;

import dev.paper2code.retrieval.SearchMethod;
import dev.paper2code.contracts.Directories;
import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TextPair;
import dev.paper2code.cleaning.CleanedEntry;
import dev.paper2code.cleaning.EntryCleaner;
import dev.paper2code.cleaning.Outcome;
import dev.paper2code.cleaning.SeedFile;
import dev.paper2code.retrieval.SearchResults;
import dev.paper2code.retrieval.ServingIndex;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.index.HnswOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code search}: the repositories of a pairs file ranked for a query by a trained checkpoint, offline
 * (no Kafka, no service): the file is cleaned as the parser cleans it, every repository embedded with
 * the checkpoint's code encoder into a temporary Lucene index, the query with its paper encoder.
 * Options: {@code bin/search --help}.
 */
@Command(name = "search", mixinStandardHelpOptions = true, version = "paper2code-trainer search 0.1.0", sortOptions = false, showDefaultValues = true,
        description = "Rank the repositories of a pairs file for a query or a paper with a trained checkpoint, offline.")
public final class SearchCommand implements Callable<Integer> {
    static final Path DEFAULT_PAIRS = Path.of("data/sample/paper_code_pairs.json");

    @Option(names = "--model-dir", required = true, paramLabel = "CHECKPOINT",
            description = "a checkpoint the trainer wrote, e.g. checkpoints/best_model")
    Path modelDir;

    @Option(names = "--pairs", paramLabel = "FILE", defaultValue = "data/sample/paper_code_pairs.json",
            description = "the paper_code_pairs.json whose repositories are ranked (cleaned as the parser cleans it)")
    Path pairs;

    @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "results, 1 to 1000")
    int k;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "hnsw",
            description = "hnsw (the graph), exact (every vector scored), bm25 (keywords only, the baseline) "
                    + "or hybrid (exact and bm25 scores standardised and summed)")
    String method;

    @Option(names = "--exact", description = "the same as --method exact")
    boolean exact;

    @Option(names = "--json", description = "the results as JSON instead of a table")
    boolean json;

    @Option(names = "--paper", paramLabel = "ARXIV_ID",
            description = "rank for a paper of the file (its repositories are marked *) instead of a query text")
    String paper;

    @Parameters(paramLabel = "QUERY", arity = "0..*", description = "the query text (without --paper)")
    List<String> words = new ArrayList<>();

    private final PrintStream out;

    SearchCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        CommandLines.main(new SearchCommand(System.out), args);
    }

    /** The options of one call. */
    record Options(Path modelDir, Path pairs, int k, SearchMethod method, boolean json, String paper, String query) {
    }

    /** @throws IllegalArgumentException naming the bad or missing option */
    static Options parse(String[] args) {
        SearchCommand command = new SearchCommand(System.out);
        CommandLines.parse(command, args, System.out);
        return command.options();
    }

    private Options options() {
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("--k must be a whole number between 1 and 1000, not " + k);
        }
        String query = String.join(" ", words).strip();
        if ((paper == null) == query.isEmpty()) {
            throw new IllegalArgumentException("give either --paper ID or a query text");
        }
        SearchMethod chosen = exact ? SearchMethod.EXACT : SearchMethod.of(method.strip().toLowerCase(java.util.Locale.ROOT)).orElseThrow(() ->
                new IllegalArgumentException("--method must be one of " + SearchMethod.labels() + ", not " + method));
        return new Options(modelDir, pairs, k, chosen, json, paper, query.isEmpty() ? null : query);
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

    /** Parses and runs, as {@code main} does, for tests: @return 0 answered, 1 the paper is not in the file */
    static int run(String[] args, PrintStream out) throws IOException {
        SearchCommand command = new SearchCommand(out);
        return CommandLines.parse(command, args, out) ? command.call() : 0;
    }

    @Override
    public Integer call() throws IOException {
        Options options = options();
        Corpus corpus = Corpus.of(pairs(options.pairs()));
        Path indexDir = Files.createTempDirectory("paper2code-search");
        SearchMethod method = options.method();
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
            Directories.deleteRecursively(indexDir);
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
