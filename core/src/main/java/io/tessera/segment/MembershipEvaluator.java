package io.tessera.segment;

import io.tessera.profile.Profile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Evaluates segments over one profile's {@link ProfileWindows} and records what changed: the
 * membership changes and the profile's moved window timer, into the operation's
 * {@link PendingWrites}. The timer is always the earliest instant an event leaves a window, so
 * expiry costs one timer per profile and never a scan. Not thread-safe: used under the
 * {@link SegmentEngine}'s lock.
 */
final class MembershipEvaluator {
    private final ProfileScores scores;
    private final PendingWrites pending;
    private volatile ToIntFunction<Profile> timerPartition = p -> 0;

    MembershipEvaluator(ProfileScores scores, PendingWrites pending) {
        this.scores = scores;
        this.pending = pending;
    }

    void partitionTimersBy(ToIntFunction<Profile> partitionOf) {
        this.timerPartition = partitionOf;
    }

    /** Re-evaluates the {@code dirtyIn} segments (and whatever expired, and their dependents). */
    void evaluate(ProfileWindows w, Set<String> dirtyIn, SegmentCatalog catalog, Instant now, String cause) {
        Set<String> dirty = dirtyIn;
        // Events that left their windows since the last evaluation of this state (a timer, or an
        // event arriving first): the segments reading those aggregates are re-evaluated, no others.
        List<Aggregate> expired = w.expire(now);
        boolean overdueFresh = w.fresh && w.timerNotAfter(now);
        w.fresh = false;
        if (!expired.isEmpty() || overdueFresh) {
            dirty = new HashSet<>(dirtyIn);
            for (Aggregate a : expired) {
                dirty.addAll(catalog.readingAggregate(a));
            }
            if (overdueFresh) {
                // A state just built from history, whose timer is overdue: some window expired
                // since the stored memberships were computed, and the state cannot tell which.
                for (CompiledSegment s : catalog.ordered()) {
                    if (s.timeDependent() && w.covers(s)) {
                        dirty.add(s.key());
                    }
                }
            }
        }
        if (!dirty.isEmpty()) {
            List<MembershipChange> changes = new ArrayList<>(2);
            SegmentInput input = w.input(now, scores);
            Set<String> changed = new HashSet<>(4);
            for (CompiledSegment s : catalog.ordered()) {
                boolean readsChanged = !changed.isEmpty() && !s.dependsOn().isEmpty() && s.dependsOn().stream().anyMatch(changed::contains);
                if (!dirty.contains(s.key()) && !readsChanged || !w.covers(s)) {
                    continue;
                }
                boolean member = s.evaluate(input).member();
                if (member != w.isMember(s)) {
                    w.setMember(s.bit(), member);
                    changed.add(s.key());
                    changes.add(new MembershipChange(s.key(), s.definition().version(), w.profileId(), member, now, cause));
                }
            }
            pending.publish(changes);
        }
        // Memberships of deleted segments are the registry's to clear; drop them from the cache view.
        w.dropDeletedSegments(catalog);
        reschedule(w, now);
    }

    private void reschedule(ProfileWindows w, Instant now) {
        Optional<Instant> next = w.nextExpiry(now);
        if (!w.exactExpiry) {
            // A partial state knows only its own windows: the profile's timer may only move earlier
            // (an early timer re-evaluates over the full state and reschedules exactly).
            if (next.isEmpty() || w.timerNotAfter(next.get())) {
                return;
            }
        }
        if (!w.timerIs(next)) {
            pending.timer(w.profileId(), next, next.isPresent() ? timerPartition.applyAsInt(w.profile()) : 0);
            w.setScheduledTimer(next);
        }
    }

    /** A profile merged away: it leaves every segment it was in, and its timer goes. */
    void retire(String profileId, java.util.Collection<String> current, SegmentCatalog catalog, Instant now, String cause) {
        List<MembershipChange> exits = new ArrayList<>();
        for (String key : current) {
            int version = catalog.get(key).map(s -> s.definition().version()).orElse(0);
            exits.add(new MembershipChange(key, version, profileId, false, now, cause));
        }
        pending.publish(exits);
        pending.timer(profileId, Optional.empty(), 0);
    }
}
