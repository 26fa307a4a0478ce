package io.tessera.ingest.hook;

import java.util.List;
import java.util.Optional;

/** Where webhook sources are kept (port; the embedded adapter is SQLite). Thread-safe. */
public interface HookSourceStore {
    /** Creates or replaces the source of that name. */
    void save(HookSource source);

    Optional<HookSource> get(String name);

    /** Every source, by name. */
    List<HookSource> list();

    /** @return whether a source of that name existed */
    boolean delete(String name);
}
