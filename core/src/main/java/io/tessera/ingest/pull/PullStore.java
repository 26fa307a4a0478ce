package io.tessera.ingest.pull;

import java.util.List;
import java.util.Optional;

/** Where pulls and their cursors are kept (port; the embedded adapter is SQLite). Thread-safe. */
public interface PullStore {
    /** Creates or replaces a pull; a replaced pull keeps its state (cursor). */
    void save(PullSource source);

    Optional<PullSource> get(String name);

    List<PullSource> list();

    /** @return whether it existed (its state goes with it) */
    boolean delete(String name);

    /** The state of a pull ({@link PullState#NEW} before its first run). */
    PullState state(String name);

    void saveState(String name, PullState state);
}
