package dev.paper2code.retrieval;

import dev.paper2code.retrieval.corpus.CodeDocument;
import dev.paper2code.retrieval.corpus.Corpus;
import dev.paper2code.retrieval.corpus.CorpusPaper;
import dev.paper2code.retrieval.encoding.CheckpointEncoders;
import dev.paper2code.retrieval.index.RepositoryIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model a run starts from, before any training, ranking the corpus: the "zero-shot" row of every
 * evaluation, so that a run says what fine-tuning bought. Repository vectors are cached by key and text
 * (the start model never changes), so an evaluation after each switch embeds only what is new.
 */
public final class ZeroShotBaseline implements AutoCloseable {
    private final CheckpointEncoders encoders;
    private final Map<String, Embedded> cache = new ConcurrentHashMap<>();

    private record Embedded(String codeText, float[] vector) {
    }

    private ZeroShotBaseline(CheckpointEncoders encoders) {
        this.encoders = encoders;
    }

    /** The Hugging Face model directory a run starts from, texts cut at {@code maxLength} tokens. */
    public static ZeroShotBaseline open(Path modelDirectory, int maxLength) throws IOException {
        return new ZeroShotBaseline(CheckpointEncoders.pretrained(modelDirectory, maxLength));
    }

    public Path modelDirectory() {
        return Path.of(encoders.info().path());
    }

    /** For each paper, the keys of the corpus's repositories best first, {@code depth} deep, by exact cosine. */
    public synchronized List<List<String>> rank(Corpus corpus, List<CorpusPaper> papers, int depth) {
        List<CodeDocument> documents = corpus.repositories();
        List<CodeDocument> missing = documents.stream().filter(d -> {
            Embedded cached = cache.get(d.key());
            return cached == null || !cached.codeText().equals(d.codeText());
        }).toList();
        float[][] vectors = encoders.embedCode(missing.stream().map(CodeDocument::codeText).toList());
        for (int i = 0; i < missing.size(); i++) {
            cache.put(missing.get(i).key(), new Embedded(missing.get(i).codeText(), vectors[i]));
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        documents.forEach(d -> present.add(d.key()));
        cache.keySet().retainAll(present);
        float[][] queries = encoders.embedPapers(papers.stream().map(CorpusPaper::text).toList());
        List<List<String>> rankings = new ArrayList<>(papers.size());
        for (float[] query : queries) {
            List<RepositoryIndex.Hit> hits = new ArrayList<>(documents.size());
            for (CodeDocument document : documents) {
                hits.add(new RepositoryIndex.Hit(document, Vectors.dot(query, cache.get(document.key()).vector())));
            }
            hits.sort(RepositoryIndex.BEST_FIRST);
            rankings.add(hits.stream().limit(depth).map(hit -> hit.document().key()).toList());
        }
        return rankings;
    }

    /** Waits for a ranking in progress: the model is native memory. */
    @Override
    public synchronized void close() {
        encoders.close();
    }
}
