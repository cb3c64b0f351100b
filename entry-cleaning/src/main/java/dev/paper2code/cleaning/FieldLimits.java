package dev.paper2code.cleaning;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the parser accepts, in characters after cleaning. Every bound is far above real data (the real
 * export's longest abstract is about 1,900 characters, its longest repository name 49) and far below
 * what breaks a consumer: Lucene refuses a term over 32,766 UTF-8 bytes, so a repository name (search's
 * key) of 100 KB used to fail every index build. A field past its bound dead-letters its link (or, for
 * the paper, the entry) as {@link RejectReason#FIELD_TOO_LONG}, naming the field, its length and the bound.
 */
public final class FieldLimits {
    /** {@code owner/repo} on GitHub is at most 39 + 1 + 100; other hosts nest groups, hence the margin. */
    public static final int REPOSITORY_NAME = 512;
    /** Browsers and servers commonly stop at 2,048 characters. */
    public static final int URL = 2_048;
    /** arXiv ids are short; a paper without one is named by its URL. */
    public static final int PAPER_ID = URL;
    public static final int TITLE = 2_000;
    public static final int ABSTRACT = 20_000;
    public static final int DESCRIPTION = 10_000;
    public static final int TOPIC = 200;
    public static final int TOPICS = 100;

    /** An unpaired UTF-16 surrogate: Kafka's string serializer writes it as {@code ?}, so two ids would collide. */
    private static final Pattern LONE_SURROGATE = Pattern.compile("\\p{Cs}");

    private FieldLimits() {
    }

    /** "{field} is N characters, more than the M accepted", or empty when {@code value} fits. */
    static Optional<String> tooLong(String field, String value, int limit) {
        return value != null && value.length() > limit
                ? Optional.of(field + " is " + value.length() + " characters, more than the " + limit + " accepted")
                : Optional.empty();
    }

    static boolean hasLoneSurrogate(String value) {
        return value != null && LONE_SURROGATE.matcher(value).find();
    }

    /**
     * Why {@code url} is not an absolute http(s) URL with a host, or empty when it is. Anything else
     * ({@code javascript:}, {@code data:}, a relative path) would be rendered as a link by a client.
     */
    static Optional<String> invalidUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.of("the URL's scheme is '" + scheme + "', only http and https are accepted");
            }
            if (uri.getHost() == null) {
                return Optional.of("the URL names no host");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("the URL does not parse: " + e.getReason());
        }
    }
}
