package io.tessera.bench.segment;

import io.tessera.event.Event;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore.HistoryEntry;
import io.tessera.profile.ProfileStore.ProfileCommit;
import io.tessera.segment.MembershipWriter;
import io.tessera.segment.ProfileScores;
import io.tessera.segment.SaveVerdict;
import io.tessera.segment.SegmentCatalog;
import io.tessera.segment.SegmentEngine;
import io.tessera.segment.SegmentRegistry;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteProfileStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The backfill over a real {@link SqliteProfileStore}, as the embedded server runs it: the
 * synthetic profiles' base histories are bulk-loaded once into the benchmark's {@code tessera.db}
 * (set-up, timed apart), then a second segment engine over that store, with the same catalog and
 * the same membership and timer stores, backfills one new segment, reading every history from
 * SQLite. Live events are not in this store (the synthetic store kept them in memory).
 */
final class SqliteStoreBackfill {
    private static final int LOAD_BATCH = 5_000;

    private SqliteStoreBackfill() {}

    static void run(Path db, SyntheticProfiles synthetic, int n, SegmentCatalog catalog, SqliteMembershipStore memberships,
                    SqliteWindowTimerStore timers, SqliteSegmentDefinitionStore definitions, InstantSource clock,
                    String segment, String condition, java.util.function.Consumer<Runnable> profiled) {
        try (SqliteProfileStore store = new SqliteProfileStore(db)) {
            long l0 = System.nanoTime();
            long events = load(store, synthetic, n);
            System.out.printf("set-up: bulk-loaded %d profiles and %d history events into the SQLite profile store in %.1f s%n",
                    n, events, (System.nanoTime() - l0) / 1e9);
            ExecutorService writes = Executors.newSingleThreadExecutor(r -> new Thread(r, "segment-writer-sqlite"));
            try {
                MembershipWriter writer = new MembershipWriter(memberships, timers, writes, 100_000);
                SegmentEngine engine = new SegmentEngine(store, writer, timers, ProfileScores.none(), clock, 200_000);
                engine.setCatalog(catalog);
                SegmentRegistry registry = new SegmentRegistry(definitions, memberships, engine, store, clock, Runnable::run);
                profiled.accept(() -> {
                    long b0 = System.nanoTime();
                    long c0 = SegmentBench.processCpu();
                    SaveVerdict saved = registry.save(segment, segment, condition);
                    System.out.printf("backfill of one new segment over the REAL SQLite profile store (every history read from SQLite) over %d profiles: %.1f s, %.1f µs process CPU a profile (%s, %d members)%n",
                            n, (System.nanoTime() - b0) / 1e9, (SegmentBench.processCpu() - c0) / 1e3 / n,
                            ((SaveVerdict.Saved) saved).backfill().status(), memberships.count(segment));
                });
            } finally {
                writes.shutdown();
            }
        }
    }

    /** Commits the base histories in batches, as the profile engine would have; returns the events written. */
    private static long load(SqliteProfileStore store, SyntheticProfiles synthetic, int n) {
        long events = 0;
        long offset = 0;
        for (int from = 0; from < n; from += LOAD_BATCH) {
            List<Profile> upserts = new ArrayList<>(LOAD_BATCH);
            List<HistoryEntry> history = new ArrayList<>(LOAD_BATCH * 3);
            for (int i = from; i < Math.min(n, from + LOAD_BATCH); i++) {
                String id = SyntheticProfiles.id(i);
                for (Event e : synthetic.base(i)) {
                    history.add(new HistoryEntry(id, offset++, e));
                }
                upserts.add(synthetic.profile(i, offset - 1));
            }
            events += history.size();
            store.commit(new ProfileCommit(upserts, List.of(), Map.of(), history, List.of(), Map.of(0, offset - 1)));
        }
        return events;
    }
}
