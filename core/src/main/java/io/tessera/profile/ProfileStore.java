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
     * The profiles of a page of ids, in the order given (ids with no profile are left out), each
     * with the track events of its {@link #history} named in {@code trackEvents}, by event time
     * then offset. The profiles carry no timeline: a reader of some events cannot cut it. What a
     * backfill reads (the events its aggregates count): adapters read a page in one bulk read and
     * decode only the events that can have one of the names, instead of three queries and every
     * event decoded a profile (docs/BENCHMARKS.md, "Segment backfill, session 6").
     */
    default List<ProfileHistory> histories(List<String> profileIds, java.util.Set<String> trackEvents) {
        List<ProfileHistory> out = new java.util.ArrayList<>(profileIds.size());
        for (String id : profileIds) {
            get(id).ifPresent(p -> out.add(new ProfileHistory(
                    new Profile(p.id(), p.identities(), p.traits(), p.events(), List.of(), p.lastOffset()),
                    trackEvents.isEmpty() ? List.of() : history(id).stream()
                            .filter(e -> e.type() == io.tessera.event.EventType.TRACK && trackEvents.contains(e.name())).toList())));
        }
        return out;
    }

    /**
     * Makes one batch of the engine's work durable, atomically: upserted profiles, profiles merged
     * away, identity links, appended history, merge records, and the new resume offsets.
     *
     * @throws FencedCommitException when a partition's stored offset is no longer the one the
     *         commit {@linkplain ProfileCommit#startedFrom started from} (nothing is written)
     */
    void commit(ProfileCommit commit);

    /** The last log offset applied for a partition, or -1. */
    long resumeAfter(int partition);

    long count();

    /** Profile ids in id order after {@code afterId} (exclusive; "" for the start). For scans and backfills. */
    List<String> ids(String afterId, int limit);

    /**
     * Profile ids in id order after {@code afterId} that may live in log {@code partition}: at least
     * every profile whose home partition it is. A store that records no partition per profile
     * returns every id ({@link #ids}); callers check each profile's partition themselves.
     */
    default List<String> idsInPartition(int partition, String afterId, int limit) {
        return ids(afterId, limit);
    }

    /** Every recorded merge into or out of a profile, oldest first (reversed ones too: see {@link #separations}). */
    List<MergeRecord> merges(String profileId);

    /** A profile's history with the log offsets, in offset order: what a split replays. */
    List<HistoryEntry> historyEntries(String profileId);

    /**
     * Makes a merge reversal durable, atomically: the history of every profile named in the split
     * ({@code profiles}, and both sides of the separation) is replaced by {@code history}, the
     * profiles are upserted, the links written, and the separation recorded.
     */
    void split(ProfileSplit split);

    /**
     * The relay records a partition's commits left to send (an outbox: written in the commit that
     * decided them, removed by {@link #relaysSent} once the log has them). Its new owner sends them
     * again on assignment. Empty for stores of one-partition logs.
     */
    default List<Relay> pendingRelays(int partition) {
        return List.of();
    }

    /** These relay records are durable in the log: forget them. */
    default void relaysSent(java.util.Collection<String> messageIds) {
    }

    /** Whether a commit already applied the relay record with this key ({@link ProfileCommit#relaysApplied}). */
    default boolean relayApplied(String key) {
        return false;
    }

    /**
     * The {@link Profile#homeKey} of the profile that carries this identity: where ingestion keys an
     * event naming it. Adapters may answer it without reading the timeline.
     */
    default Optional<String> homeKeyOf(Identity identity) {
        return resolve(identity).flatMap(this::get).flatMap(Profile::homeKey);
    }

    /** Every pair an admin separated by reversing a merge, oldest first. Kept by {@link #clear}. */
    List<Separation> separations();

    /**
     * Deletes all profile state (for {@code tessera rebuild}) except the {@link #separations}: those
     * are an admin's decisions, and the rebuilt engine honours them.
     */
    void clear();

    @Override
    void close();

    /**
     * One atomic unit of profile-engine output.
     *
     * @param offsets     the new resume offset per partition
     * @param startedFrom the stored offset each partition's batch started from: the commit is a
     *                    compare-and-set, applied only if every one of them is still the stored
     *                    offset (-1: none stored yet), else rejected whole with
     *                    {@link FencedCommitException}. A partition absent here is written
     *                    unconditionally (single-writer stores, tests).
     * @param relays        relay records to send to other partitions once this commit is durable
     *                      (stored with it: {@link #pendingRelays})
     * @param relaysApplied keys ({@code partition:messageId}) of the relay records this commit
     *                      applied; a store rejects a key it already holds
     *
     * <p>Identity links: a link may be created, kept, or moved away from a profile this commit
     * upserts or deletes. A partitioned store must reject a commit whose link would take an
     * identity from any other profile (another partition linked it concurrently): the engine then
     * retries the batch and finds the identity's owner.
     */
    record ProfileCommit(
            List<Profile> upserts,
            List<String> deletes,
            Map<Identity, String> links,
            List<HistoryEntry> history,
            List<MergeRecord> merges,
            Map<Integer, Long> offsets,
            Map<Integer, Long> startedFrom,
            List<Relay> relays,
            java.util.Set<String> relaysApplied) {
        public ProfileCommit {
            relays = List.copyOf(relays);
            relaysApplied = java.util.Set.copyOf(relaysApplied);
            upserts = List.copyOf(upserts);
            deletes = List.copyOf(deletes);
            links = Map.copyOf(links);
            history = List.copyOf(history);
            merges = List.copyOf(merges);
            offsets = Map.copyOf(offsets);
            startedFrom = Map.copyOf(startedFrom);
        }

        /** A commit of a one-partition engine: no relay records. */
        public ProfileCommit(List<Profile> upserts, List<String> deletes, Map<Identity, String> links,
                             List<HistoryEntry> history, List<MergeRecord> merges, Map<Integer, Long> offsets,
                             Map<Integer, Long> startedFrom) {
            this(upserts, deletes, links, history, merges, offsets, startedFrom, List.of(), java.util.Set.of());
        }

        /** An unconditional commit (no compare-and-set of the offsets). */
        public ProfileCommit(List<Profile> upserts, List<String> deletes, Map<Identity, String> links,
                             List<HistoryEntry> history, List<MergeRecord> merges, Map<Integer, Long> offsets) {
            this(upserts, deletes, links, history, merges, offsets, Map.of());
        }
    }

    /** A relay record ({@link RelayRecord}) waiting to be appended under {@code key}, decided by a batch of {@code partition}. */
    record Relay(String messageId, int partition, String key, Event record) {}

    /** A profile and (some of) its history, by event time then offset ({@link #histories}). */
    record ProfileHistory(Profile profile, List<Event> history) {
        public ProfileHistory {
            history = List.copyOf(history);
        }
    }

    /** One event appended to a profile's history. Moving history on merge is the store's job. */
    record HistoryEntry(String profileId, long offset, Event event) {}

    /** {@code from} was merged into {@code into} because they share {@code by}, at {@code at}. */
    record MergeRecord(String from, String into, Identity by, Instant at, String messageId) {
        /** A stable id for the API: {@code m_} + 64 bits of a name-based UUID of from, into and the messageId. */
        public String id() {
            String name = from + "\u001f" + into + "\u001f" + messageId;
            return "m_" + java.util.UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .toString().replace("-", "").substring(0, 16);
        }
    }

    /** An admin reversed merge {@code mergeId} of {@code from} into {@code into} at {@code at}: the two are never merged again. */
    record Separation(String from, String into, String mergeId, Instant at) {}

    /** One merge reversal: the separation and the state of the profiles the replay of the survivor's history gave. */
    record ProfileSplit(Separation separation, List<Profile> profiles, List<HistoryEntry> history, Map<Identity, String> links) {
        public ProfileSplit {
            profiles = List.copyOf(profiles);
            history = List.copyOf(history);
            links = Map.copyOf(links);
        }
    }
}
