package io.tessera.profile;

import io.tessera.event.LoggedEvent;
import io.tessera.profile.ProfileStore.HistoryEntry;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.profile.ProfileStore.ProfileCommit;
import io.tessera.profile.ProfileStore.ProfileSplit;
import io.tessera.profile.ProfileStore.Separation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out the reversal of one recorded merge: the surviving profile's full history (which holds
 * the absorbed profile's events, moved there by the merge, and everything since) is replayed, in
 * log order, through the engine's own rules ({@link BatchApplication}) into an empty scratch
 * state, with the two profiles separated. Because profile ids derive from the creating event and
 * the rules are deterministic, the replay gives back the absorbed profile under its old id with
 * the events that arrived under its identifiers, the survivor without them, and the identity links
 * of both — nothing has to be remembered at merge time. The shared identifier stays with the
 * profile that had it first.
 *
 * <p>Refused (nothing changes) when the merge is unknown, already reversed, or superseded (the
 * survivor was itself merged away later: reverse that merge first), or when the replay would not
 * give both profiles back (their events would now join a third profile). Used on the engine's
 * thread only.
 */
public final class MergeReversal {

    /** What a reversal request came to. */
    public sealed interface Outcome {
        /** The split to make durable, and the two profiles as they will be. */
        record Reversed(ProfileSplit split, Profile restored, Profile survivor) implements Outcome {}

        /** @param code {@code not_found} or {@code conflict} */
        record Refused(String code, String message) implements Outcome {}
    }

    private static final BatchApplication.Committed NOTHING = new BatchApplication.Committed() {
        @Override
        public Optional<String> resolve(Identity identity) {
            return Optional.empty();
        }

        @Override
        public Profile load(String profileId) {
            throw new IllegalStateException("a replay from an empty state loaded " + profileId);
        }
    };

    private final ProfileStore store;
    private final boolean mergeDifferentUserIds;

    MergeReversal(ProfileStore store, boolean mergeDifferentUserIds) {
        this.store = store;
        this.mergeDifferentUserIds = mergeDifferentUserIds;
    }

    Outcome reverse(String profileId, String mergeId, Instant now) {
        Optional<MergeRecord> found = store.merges(profileId).stream().filter(m -> m.id().equals(mergeId)).findFirst();
        if (found.isEmpty()) {
            return new Outcome.Refused("not_found", "no merge '" + mergeId + "' into or out of profile '" + profileId + "'");
        }
        MergeRecord m = found.get();
        if (store.separations().stream().anyMatch(s -> s.mergeId().equals(mergeId))) {
            return new Outcome.Refused("conflict", "merge " + mergeId + " of " + m.from() + " into " + m.into() + " is already reversed");
        }
        if (store.get(m.into()).isEmpty()) {
            String later = store.merges(m.into()).stream().filter(r -> r.from().equals(m.into())).reduce((a, b) -> b)
                    .map(r -> "; reverse merge " + r.id() + " of " + r.from() + " into " + r.into() + " first").orElse("");
            return new Outcome.Refused("conflict", "profile " + m.into() + " no longer exists" + later);
        }
        if (store.get(m.from()).isPresent()) {
            return new Outcome.Refused("conflict", "profile " + m.from() + " exists again; merge " + mergeId + " is not in effect");
        }
        Separation separation = new Separation(m.from(), m.into(), mergeId, now);
        Separations separated = Separations.of(store.separations()).with(separation);
        BatchApplication replay = new BatchApplication(NOTHING, mergeDifferentUserIds, () -> separated, false);
        for (HistoryEntry h : store.historyEntries(m.into())) {
            if (!replay.applied(h.event().messageId())) {
                replay.apply(new LoggedEvent(0, h.offset(), h.event()));
            }
        }
        ProfileCommit result = replay.toCommit(Map.of(), Map.of());
        Optional<Profile> restored = find(result.upserts(), m.from());
        Optional<Profile> survivor = find(result.upserts(), m.into());
        if (restored.isEmpty() || survivor.isEmpty()) {
            return new Outcome.Refused("conflict", "replaying " + m.into() + "'s history without the merge does not give "
                    + m.from() + " and " + m.into() + " back (it gives " + result.upserts().stream().map(Profile::id).toList()
                    + "; their events would join another profile); not reversed");
        }
        return new Outcome.Reversed(new ProfileSplit(separation, result.upserts(), owned(result), result.links()),
                restored.get(), survivor.get());
    }

    /**
     * The replay's history with each entry under the profile that finally holds it: an entry is
     * written under the profile that took the event, and a merge later in the replay moves it (in
     * the engine the store does that on commit; here it is done before the split is written).
     */
    private static List<HistoryEntry> owned(ProfileCommit result) {
        Map<String, String> mergedInto = new java.util.HashMap<>();
        result.merges().forEach(r -> mergedInto.put(r.from(), r.into()));
        return result.history().stream().map(h -> {
            String owner = h.profileId();
            for (String next = mergedInto.get(owner); next != null; next = mergedInto.get(owner)) {
                owner = next;
            }
            return owner.equals(h.profileId()) ? h : new HistoryEntry(owner, h.offset(), h.event());
        }).toList();
    }

    private static Optional<Profile> find(List<Profile> profiles, String id) {
        return profiles.stream().filter(p -> p.id().equals(id)).findFirst();
    }
}
