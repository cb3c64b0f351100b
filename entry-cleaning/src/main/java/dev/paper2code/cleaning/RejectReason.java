package dev.paper2code.cleaning;

/** Why the parser could not make a pair; the name is the {@code reason} of the dead letter. */
public enum RejectReason {
    MALFORMED_UTF8("the record is not UTF-8 text"),
    MALFORMED_JSON("the record is not valid JSON"),
    NOT_AN_OBJECT("an entry must be a JSON object {paper, repositories}"),
    SCHEMA_MISMATCH("a field has the wrong JSON type"),
    MISSING_PAPER("the entry has no paper object"),
    MISSING_PAPER_ID("the paper has neither arxiv_id nor url"),
    NO_PAPER_TEXT("the paper has no usable title or abstract"),
    NO_REPOSITORIES("the entry links no repository"),
    MISSING_REPOSITORY_NAME("a linked repository has no name"),
    FIELD_TOO_LONG("a field is longer than the parser accepts (see FieldLimits)"),
    INVALID_TEXT("an id or name holds an unpaired UTF-16 surrogate"),
    INVALID_URL("a URL is not an absolute http(s) URL");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
