package io.tessera.profile;

import io.tessera.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable profile state: profiles, the identity graph, each profile's full event history, merge
 * records, and the log position they reflect. Written only by the profile engine, in
 * {@link #commit} batches; read by everyone.
 *
 * <p>Adapters: {@code store.sqlite.SqliteProfileStore}, {@code store.postgres.PostgresProfileStore};
 * both pass {@code testkit}'s {@code ProfileStoreContract}. Thread-safe.
 */
public interface ProfileStore extends AutoCloseable {

    /**
     * The profile, with its timeline taken from its history: the last {@link Profile#TIMELINE_LIMIT}
     * entries by event time, then offset. (Stores do not persist the timeline given in an upsert:
     * re-writing 50 events with every profile write cost ~30x the rest of the row; see
     * docs/BENCHMARKS.md, "Event log and profile engine".)
     */
    Optional<Profile> get(String profileId);

    /** The profile that carries this identity, if any. */
    Optional<String> resolve(Identity identity);

    /** The events applied to a profile, by event time (then offset); the ground truth for recomputation. */
    List<Event> history(String profileId);

    /**
     * Makes one batch of the engine's work durable, atomically: upserted profiles, profiles merged
     * away, identity links, appended history, merge records, and the new resume offsets.
     */
    void commit(ProfileCommit commit);

    /** The last log offset applied for a partition, or -1. */
    long resumeAfter(int partition);

    long count();

    /** Profile ids in id order after {@code afterId} (exclusive; "" for the start). For scans and backfills. */
    List<String> ids(String afterId, int limit);

    /** Every recorded merge into or out of a profile, oldest first. */
    List<MergeRecord> merges(String profileId);

    /** Deletes all profile state (for {@code tessera rebuild}). */
    void clear();

    @Override
    void close();

    /** One atomic unit of profile-engine output. */
    record ProfileCommit(
            List<Profile> upserts,
            List<String> deletes,
            Map<Identity, String> links,
            List<HistoryEntry> history,
            List<MergeRecord> merges,
            Map<Integer, Long> offsets) {
        public ProfileCommit {
            upserts = List.copyOf(upserts);
            deletes = List.copyOf(deletes);
            links = Map.copyOf(links);
            history = List.copyOf(history);
            merges = List.copyOf(merges);
            offsets = Map.copyOf(offsets);
        }
    }

    /** One event appended to a profile's history. Moving history on merge is the store's job. */
    record HistoryEntry(String profileId, long offset, Event event) {}

    /** {@code from} was merged into {@code into} because they share {@code by}, at {@code at}. */
    record MergeRecord(String from, String into, Identity by, Instant at, String messageId) {}
}
