package dev.paper2code.retrieval.corpus;

/**
 * One repository as search returns it and as its code encoder reads it.
 *
 * @param key         the repository name lower-cased: hosting sites treat names case-insensitively, and
 *                    pair ids do the same
 * @param name        {@code owner/repo} as the newest pair spells it
 * @param url         the URL the entry gave, else null
 * @param description its description, else null
 * @param codeText    what the code encoder embeds (name, description, topics), as the parser built it
 */
public record CodeDocument(String key, String name, String url, String description, String codeText) {
}
