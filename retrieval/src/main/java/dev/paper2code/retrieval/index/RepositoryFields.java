package dev.paper2code.retrieval.index;

import dev.paper2code.retrieval.corpus.CodeDocument;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;

/** How one repository is laid out as a Lucene document of {@link RepositoryIndex}: its fields, named once. */
final class RepositoryFields {
    /** The key as an indexed term (for updates and deletes); hashed past {@link KeyTerms#MAX_BYTES}. */
    static final String KEY_TERM = "key";
    /** The key itself, stored: stored fields have no length limit, terms do (32,766 UTF-8 bytes). */
    static final String KEY = "key_stored";
    static final String VECTOR = "vector";
    static final String TEXT = "text";

    private RepositoryFields() {
    }

    /** The term that identifies the repository {@code key}'s document. */
    static Term keyTerm(String key) {
        return new Term(KEY_TERM, KeyTerms.of(key));
    }

    /**
     * The repository's document: key, code text for BM25, and its unit vector scored by dot product (the
     * cosine). Throws {@link IllegalArgumentException} for what Lucene refuses (a non-finite vector).
     */
    static Document of(CodeDocument repository, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(KEY_TERM, KeyTerms.of(repository.key()), Field.Store.NO));
        doc.add(new StoredField(KEY, repository.key()));
        doc.add(new TextField(TEXT, repository.codeText(), Field.Store.NO));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }
}
