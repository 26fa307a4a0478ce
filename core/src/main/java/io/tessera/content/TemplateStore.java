package io.tessera.content;

import java.util.List;
import java.util.Optional;

/**
 * Immutable template versions. {@link #save} never changes a stored version: it stores the
 * template as the next version of its key and returns it with that number. Implementations are
 * thread-safe.
 */
public interface TemplateStore {

    /** Stores {@code draft} (its version number is ignored) as the next version of its key. */
    EmailTemplate save(EmailTemplate draft);

    Optional<EmailTemplate> latest(String key);

    Optional<EmailTemplate> version(String key, int version);

    /** Every version of a key, oldest first. */
    List<EmailTemplate> versions(String key);

    /** Every template key with at least one version. */
    List<String> keys();
}
