package io.tessera.ingest.watermark;

import java.util.Optional;

/** Where the watermark of each import source is kept (port; SQLite embedded, PostgreSQL in cluster mode). Thread-safe. */
public interface ImportWatermarkStore {
    /** The watermark of {@code source}, empty before its first complete run. */
    Optional<String> get(String source);

    /** Sets the watermark of {@code source} (replacing the old one). */
    void save(String source, String watermark);
}
