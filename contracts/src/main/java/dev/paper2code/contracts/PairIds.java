package dev.paper2code.contracts;

import java.util.Locale;

/**
 * The pair id, {@code <paper id>::<repository, lower-cased>}: the key of every pair on every topic. So
 * that no two (paper, repository) links share an id ({@code a::x} + {@code y} vs {@code a} + {@code x::y}),
 * each part has {@code %} percent-encoded and every {@code :} that touches another {@code :} or an end of
 * the part: an encoded part then holds no {@code ::} and neither starts nor ends with {@code :}, so the
 * first {@code ::} is the separator and {@link #paperIdOf} can read the paper back (a tombstone carries
 * only its key, and the tokenizer routes it by the paper's split). Real ids (arXiv ids, URLs such as
 * {@code https://...}) read as they are.
 */
public final class PairIds {
    private static final String SEPARATOR = "::";

    private PairIds() {
    }

    public static String of(String paperId, String repositoryName) {
        // Repository names are case-insensitive on the hosting sites, so Foo/Bar and foo/bar are one repo.
        return escape(paperId) + SEPARATOR + escape(repositoryName.toLowerCase(Locale.ROOT));
    }

    /** The paper id of a pair id made by {@link #of}; {@code null} when {@code pairId} has no separator. */
    public static String paperIdOf(String pairId) {
        int separator = pairId == null ? -1 : pairId.indexOf(SEPARATOR);
        return separator < 0 ? null : unescape(pairId.substring(0, separator));
    }

    private static String escape(String part) {
        StringBuilder escaped = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean edgeOrDoubledColon = c == ':' && (i == 0 || i == part.length() - 1
                    || part.charAt(i - 1) == ':' || part.charAt(i + 1) == ':');
            escaped.append(c == '%' ? "%25" : edgeOrDoubledColon ? "%3A" : String.valueOf(c));
        }
        return escaped.toString();
    }

    /** The inverse of {@link #escape}, in one left-to-right pass ({@code %253A} is {@code %3A}, not {@code :}). */
    private static String unescape(String part) {
        StringBuilder text = new StringBuilder(part.length());
        for (int i = 0; i < part.length(); i++) {
            if (part.startsWith("%25", i)) {
                text.append('%');
                i += 2;
            } else if (part.startsWith("%3A", i)) {
                text.append(':');
                i += 2;
            } else {
                text.append(part.charAt(i));
            }
        }
        return text.toString();
    }
}
