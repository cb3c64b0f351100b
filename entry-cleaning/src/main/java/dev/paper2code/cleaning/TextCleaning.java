package dev.paper2code.cleaning;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** String rules shared by the paper and the code side. */
final class TextCleaning {
    /** Control and format characters, and unpaired surrogates (no valid text holds one; they cannot be encoded). */
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Cs}&&[^\\n\\t]]");
    /** ASCII whitespace and every Unicode space separator (no-break space, em space, ...). */
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");
    private static final Pattern ARXIV_VERSION = Pattern.compile("v\\d+$");
    /**
     * Exports from the arXiv API sometimes put the query echo where the title belongs, e.g.
     * {@code arXiv Query: search_query=&id_list=2505.22954&start=0&max_results=10}.
     */
    private static final Pattern JUNK_TITLE =
            Pattern.compile("^\\s*arxiv\\s+query\\s*:|search_query=|id_list=", Pattern.CASE_INSENSITIVE);

    private TextCleaning() {
    }

    /** Control characters and unpaired surrogates removed, runs of whitespace made one space, trimmed; null for nothing left. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        String cleaned = WHITESPACE.matcher(CONTROL.matcher(text).replaceAll("")).replaceAll(" ").strip();
        return cleaned.isEmpty() ? null : cleaned;
    }

    static boolean isJunkTitle(String title) {
        return title != null && JUNK_TITLE.matcher(title).find();
    }

    /** Joins the non-null parts with a newline. */
    static String join(String... parts) {
        return Arrays.stream(parts).filter(Objects::nonNull).collect(Collectors.joining("\n"));
    }

    /** {@code 2505.22954v2} and {@code 2505.22954} name the same paper. */
    static String normalizeArxivId(String arxivId) {
        String cleaned = clean(arxivId);
        return cleaned == null ? null : ARXIV_VERSION.matcher(cleaned.toLowerCase(Locale.ROOT)).replaceAll("");
    }
}
