package io.tessera.quality;

import java.util.List;
import java.util.Optional;

/**
 * Durable keeping of rejected records: nothing a user sends is dropped silently. Thread-safe.
 * Adapters live in {@code store.sqlite} and {@code store.postgres}.
 */
public interface QuarantineStore {

    /** Stores the records durably; returns them with their assigned ids. */
    List<QuarantinedRecord> add(List<QuarantinedRecord> records);

    Optional<QuarantinedRecord> get(String id);

    /** Newest first; {@code code} and {@code source} filter when non-empty; ids before {@code beforeId} when non-empty. */
    List<QuarantinedRecord> list(String code, String source, String beforeId, int limit);

    void setStatus(String id, QuarantinedRecord.Status status);

    /** Records still in status QUARANTINED. */
    long count();
}
