package io.tessera.segment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Durable segment memberships: who is in each segment since when, and the log of every enter and
 * exit with its cause. Written only by the {@link SegmentEngine}. Adapters:
 * {@code store.sqlite.SqliteMembershipStore}. Thread-safe.
 */
public interface MembershipStore extends AutoCloseable {

    /** Current memberships of one profile: segment key → since. */
    Map<String, Instant> memberships(String profileId);

    /** Current memberships of several profiles (a page): profile id → segment key → since; absent when none. */
    default Map<String, Map<String, Instant>> memberships(java.util.Collection<String> profileIds) {
        Map<String, Map<String, Instant>> out = new java.util.HashMap<>();
        for (String id : profileIds) {
            Map<String, Instant> m = memberships(id);
            if (!m.isEmpty()) {
                out.put(id, m);
            }
        }
        return out;
    }

    /**
     * {@link #memberships(java.util.Collection)} restricted to these segments: what evaluating a
     * few segments over a page (a backfill) reads. Adapters read only those segments' rows.
     */
    default Map<String, Map<String, Instant>> memberships(java.util.Collection<String> profileIds, java.util.Set<String> segments) {
        Map<String, Map<String, Instant>> out = new java.util.HashMap<>();
        memberships(profileIds).forEach((id, m) -> {
            Map<String, Instant> kept = new java.util.HashMap<>(m);
            kept.keySet().retainAll(segments);
            if (!kept.isEmpty()) {
                out.put(id, kept);
            }
        });
        return out;
    }

    /** Appends the changes to the log and updates current memberships, atomically. */
    default void apply(List<MembershipChange> changes) {
        apply(changes, Map.of());
    }

    /**
     * Appends the changes to the log, updates current memberships and records, per log partition,
     * the offset through which the memberships reflect the profile store, all atomically.
     */
    void apply(List<MembershipChange> changes, Map<Integer, Long> appliedThrough);

    /** The recorded positions: log partition → offset the memberships reflect (empty before the first). */
    Map<Integer, Long> appliedThrough();

    long count(String segment);

    /** Members in profile-id order after {@code afterProfileId} ("" for the start). */
    List<Member> members(String segment, String afterProfileId, int limit);

    /** The enter/exit log of one profile, oldest first. */
    List<MembershipChange> changes(String profileId);

    /** Changes from the log after sequence number {@code seq}, oldest first (the webhook feed). */
    List<LoggedChange> changesAfter(long seq, int limit);

    /** The sequence number of the latest logged change (0 when none). */
    long latestChange();

    /** A change with its position in the membership log. */
    record LoggedChange(long seq, MembershipChange change) {}

    /** Forgets a deleted segment's members and log. */
    void removeSegment(String segment);

    @Override
    void close();

    /** One current member. */
    record Member(String profileId, Instant since) {}
}
