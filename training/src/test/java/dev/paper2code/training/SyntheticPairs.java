package dev.paper2code.training;

import dev.paper2code.contracts.Json;
import dev.paper2code.contracts.TokenizedPair;
import dev.paper2code.tokenization.TokenizerSnapshot;
import dev.paper2code.tokenization.TruncatingTokenizer;
import dev.paper2code.tokenization.WordPieceTrainer;
import dev.paper2code.training.settings.RunSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A dataset a small model can learn in seconds, but only by training: a paper names two concepts and its
 * repository names the same two concepts in a code vocabulary that shares no word with the papers'
 * (each word reversed), so an untrained model ranks repositories at chance and a trained one must
 * have learned the mapping from the train split to find the val papers' repositories. One repository is linked from three papers
 * and one paper links two repositories, as in the real data. Papers 0..(n-1) of every fifth go to val.
 */
public final class SyntheticPairs {
    private static final String[] WORDS = {"attention", "diffusion", "retrieval", "contrastive", "sparse", "graph",
        "quantized", "recurrent", "adversarial", "variational", "federated", "multimodal", "causal", "bayesian",
        "pruning", "distillation", "tokenizer", "convolution", "reinforcement", "embedding", "routing", "ranking",
        "segmentation", "detection", "translation", "summarization", "compression", "alignment", "planning",
        "calibration"};

    public final List<TokenizedPair> train = new ArrayList<>();
    public final List<TokenizedPair> val = new ArrayList<>();
    public final Path tokenizerPath;

    public SyntheticPairs(Path directory, int papers) {
        List<String[]> texts = new ArrayList<>();
        for (int i = 0; i < papers; i++) {
            String a = WORDS[i % WORDS.length];
            // a different partner word in every round over the list, so no two papers are the same
            String b = WORDS[(i + 1 + (i / WORDS.length) * 13) % WORDS.length];
            String paper = "We propose " + a + " " + b + " networks. Our " + a + " method improves " + b
                    + " models on standard benchmarks.";
            String repo = i % 10 == 1 ? "lab/" + code(WORDS[0]) + "-" + code(WORDS[3])
                    : "lab/" + code(a) + "-" + code(b) + "-" + i;
            texts.add(new String[] {"p" + i, paper, repo, repo + "\nsrc " + code(a) + " " + code(b) + " kernels"});
            if (i == 4) {
                texts.add(new String[] {"p" + i, paper, repo + "-port", repo + "-port\nport of " + code(a)});
            }
        }
        List<String> corpus = texts.stream().flatMap(t -> java.util.stream.Stream.of(t[1], t[3])).toList();
        try {
            tokenizerPath = directory.resolve("tokenizer");
            TokenizerSnapshot snapshot = TokenizerSnapshot.writeWordPiece(tokenizerPath, new WordPieceTrainer(600).train(corpus));
            try (TruncatingTokenizer tokenizer = new TruncatingTokenizer(snapshot, 64)) {
                for (String[] t : texts) {
                    int index = Integer.parseInt(t[0].substring(1));
                    String split = index % 5 == 0 ? TokenizedPair.VAL : TokenizedPair.TRAIN;
                    TruncatingTokenizer.Encoded paper = tokenizer.encode(t[1]);
                    TruncatingTokenizer.Encoded code = tokenizer.encode(t[3]);
                    TokenizedPair pair = new TokenizedPair(t[0] + "::" + t[2], t[0], t[2], split, paper.inputIds(),
                            paper.attentionMask(), paper.truncated(), code.inputIds(), code.attentionMask(),
                            code.truncated(), tokenizer.fingerprint(), 64);
                    (split.equals(TokenizedPair.VAL) ? val : train).add(pair);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Run settings this dataset is learned with in a few epochs of seconds: batches of 8 at learning
     * rate 1e-3, from scratch with this dataset's tokenizer, over {@code trainTopic} and {@code valTopic}.
     */
    public RunSettings runSettings(int epochs, Path checkpoints, String trainTopic, String valTopic) {
        return RunSettings.defaults().with(Map.of("batch_size", 8, "num_epochs", epochs, "learning_rate", 1e-3,
                "checkpoint_dir", checkpoints.toString(), "tokenizer_path", tokenizerPath.toString(),
                "train_topic", trainTopic, "val_topic", valTopic));
    }

    private static String code(String word) {
        return new StringBuilder(word).reverse().toString();
    }

    public void publish(String bootstrapServers, String trainTopic, String valTopic) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            for (TokenizedPair pair : train) {
                producer.send(new ProducerRecord<>(trainTopic, pair.pairId(), Json.MAPPER.writeValueAsBytes(pair)));
            }
            for (TokenizedPair pair : val) {
                producer.send(new ProducerRecord<>(valTopic, pair.pairId(), Json.MAPPER.writeValueAsBytes(pair)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
