package dev.paper2code.modelimport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The all-MiniLM-L6-v2 export in langchain4j's jar, read once per test JVM. */
final class MiniLm {
    private static byte[] onnx;
    private static byte[] tokenizer;

    private MiniLm() {
    }

    static synchronized byte[] onnx() {
        if (onnx == null) {
            onnx = resource(OnnxBertImporter.MINILM_ONNX);
        }
        return onnx;
    }

    static synchronized byte[] tokenizer() {
        if (tokenizer == null) {
            tokenizer = resource(OnnxBertImporter.MINILM_TOKENIZER);
        }
        return tokenizer;
    }

    /** The jar file the resources come from (a {@code jar:file:...!/name} URL). */
    static Path jar() {
        String url = MiniLm.class.getClassLoader().getResource(OnnxBertImporter.MINILM_ONNX).toString();
        try {
            return Path.of(new java.net.URI(url.substring("jar:".length(), url.indexOf("!/"))));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url, e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
