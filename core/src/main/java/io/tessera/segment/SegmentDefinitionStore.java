package io.tessera.segment;

import java.util.List;
import java.util.Optional;

/**
 * Durable segment definitions with their version history. Adapters:
 * {@code store.sqlite.SqliteSegmentDefinitionStore}. Thread-safe.
 */
public interface SegmentDefinitionStore extends AutoCloseable {

    /** Stores a new version (its number is {@code definition.version()}). */
    void save(SegmentDefinition definition);

    /** The latest version of every segment not deleted, by key. */
    List<SegmentDefinition> active();

    /** Every version of one segment, oldest first (kept after deletion). */
    List<SegmentDefinition> versions(String key);

    /** Marks a segment deleted; its versions stay readable. */
    void delete(String key);

    default Optional<SegmentDefinition> latest(String key) {
        return active().stream().filter(d -> d.key().equals(key)).findFirst();
    }

    @Override
    void close();
}
