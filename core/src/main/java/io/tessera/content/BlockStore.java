package io.tessera.content;

import java.util.List;
import java.util.Optional;

/**
 * The block library: immutable, numbered versions of reusable blocks (body, fallback, declared
 * inputs, variants). {@link #save} stores a draft as the next version of its key and never changes
 * a stored one, so a template that references {@code footer@3} renders the same forever.
 * Implementations are thread-safe.
 */
public interface BlockStore {

    /** Stores {@code draft} (its version number is ignored) as the next version of its key. */
    EmailTemplate.Block save(EmailTemplate.Block draft);

    Optional<EmailTemplate.Block> latest(String key);

    Optional<EmailTemplate.Block> version(String key, int version);

    /** Every version of a key, oldest first. */
    List<EmailTemplate.Block> versions(String key);

    /** Every block key with at least one version. */
    List<String> keys();
}
