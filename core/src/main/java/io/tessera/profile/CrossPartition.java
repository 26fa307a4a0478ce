package io.tessera.profile;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.BatchApplication.Candidate;
import io.tessera.profile.ProfileStore.HistoryEntry;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.profile.ProfileStore.Relay;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The profile engine's rules for a partitioned log: one batch of partition {@code P} writes only
 * the profiles whose home ({@link Profile#homeKey}) is in {@code P}; everything that concerns a
 * profile elsewhere leaves as a {@link RelayRecord}, stored with the batch's commit and sent after
 * it (docs/SCALE-OUT.md, "Identity merges across partitions").
 *
 * <h2>An event</h2>
 * <ol>
 *   <li>Its identities are resolved as in {@link BatchApplication}; a link to a profile of another
 *       partition is read again from the store (caches are exact only for this partition's
 *       profiles), and a link to a profile merged away since is followed to where it went.</li>
 *   <li>Target: the profile of its userId; for an event with an unknown userId, the first
 *       candidate of this partition that may take it, else a new profile; for an event without
 *       userId, the first candidate holding a userId, else the first candidate, else a new
 *       profile. The choice does not depend on the partition deciding it, so an event passed on
 *       is not passed back.</li>
 *   <li>If the target lives in another partition, or would (a new profile, or a profile gaining a
 *       userId, whose home key is another partition's), the event is {@link RelayRecord.Forward
 *       forwarded} there unchanged and not applied here.</li>
 *   <li>Else it is applied here; candidates of this partition are merged directly, candidates of
 *       other partitions that may be merged get a {@link RelayRecord.Request merge request}, sent
 *       to their home partition.</li>
 * </ol>
 *
 * <h2>Relay records</h2>
 * Each is applied once per partition (its key {@code partition:messageId} is stored with the
 * commit that applies it). A request whose loser lives here hands it over: the loser is deleted,
 * its identities re-pointed to the survivor and its history moved (the merge record), in this
 * commit; its state leaves as a {@link RelayRecord.Handoff}. From then on its identities resolve
 * to the survivor, so its late events are forwarded. A hand-off is folded into the survivor by the
 * survivor's owner. Requests and hand-offs that find their profile moved on follow it (hop + 1).
 * A merge that would take a userId into an anonymous profile of another partition is turned
 * around (the profile holding the userId survives), so no profile's home partition ever changes.
 *
 * <p>Confined to the engine thread for one batch, like its {@link BatchApplication}.
 */
final class CrossPartition {
    private static final int MAX_CHAIN = 64;

    private final BatchApplication work;
    private final BatchApplication.Committed committed;
    private final int partition;
    private final ProfilePartitions partitions;
    private final Predicate<String> seenRecently;
    private final Set<String> forwarded = new HashSet<>();
    private final List<Relay> relays = new ArrayList<>();
    private final Set<String> relaysApplied = new LinkedHashSet<>();

    CrossPartition(BatchApplication work, int partition, ProfilePartitions partitions, Predicate<String> seenRecently) {
        this.work = work;
        this.committed = work.committed();
        this.partition = partition;
        this.partitions = partitions;
        this.seenRecently = seenRecently;
    }

    boolean forwarded(String messageId) {
        return forwarded.contains(messageId);
    }

    List<Relay> relays() {
        return relays;
    }

    Set<String> relaysApplied() {
        return relaysApplied;
    }

    void apply(LoggedEvent logged) {
        if (RelayRecord.isRelay(logged.event())) {
            applyRelay(logged);
        } else {
            applyEvent(logged, logged.event(), 0);
        }
    }

    // ---- events

    private void applyEvent(LoggedEvent logged, Event e, int hop) {
        EventIdentities ids = EventIdentities.of(e);
        List<Identity> toLink = new ArrayList<>(ids.identities());
        List<Candidate> candidates = candidates(ids, toLink);
        Optional<String> target = chooseTarget(ids, candidates);
        if (target.isPresent() && !isLocal(target.get())) {
            forward(e, homeKeyOf(target.get()).orElseThrow(), hop);
            return;
        }
        // where the target's home will be once it has this event: a new profile's is its userId, else
        // its anonymousId; an anonymous profile taking a userId moves its home to the userId's
        Optional<String> home = target.isEmpty() ? ids.userId().or(e::anonymousId)
                : userIds(target.get()).isEmpty() ? ids.userId().or(() -> homeKeyOf(target.get())) : Optional.empty();
        if (home.isPresent() && partitions.partitionOf(home.get()) != partition) {
            forward(e, home.get(), hop);
            return;
        }
        ProfileState t = target.map(work::state).orElseGet(() -> new ProfileState(BatchApplication.newProfileId(e)));
        Optional<Profile> before = work.recordChanges() ? target.map(id -> t.snapshot()) : Optional.empty();
        List<String> mergedAway = merge(t, ids.userId(), candidates, e);
        for (Identity i : toLink) {
            Optional<String> owner = resolve(i);
            if (owner.isEmpty() || owner.get().equals(t.id)) {
                work.link(i, t.id);
                t.addIdentity(i);
            }
        }
        t.apply(e, logged.offset());
        work.touch(t);
        work.record(e.messageId());
        work.recordHistory(new HistoryEntry(t.id, logged.offset(), e));
        if (work.recordChanges()) {
            work.recordChange(new ProfileChange(before, t.snapshot(), new LoggedEvent(logged.partition(), logged.offset(), e), mergedAway));
        }
    }

    private List<Candidate> candidates(EventIdentities ids, List<Identity> toLink) {
        return BatchApplication.candidates(ids, toLink, this::resolve);
    }

    private Optional<String> chooseTarget(EventIdentities ids, List<Candidate> candidates) {
        if (ids.userId().isPresent()) {
            Optional<String> owner = resolve(Identity.userId(ids.userId().get()));
            if (owner.isPresent()) {
                return owner;
            }
            for (Candidate c : candidates) {
                if (isLocal(c.profileId())) {
                    Set<String> userIds = new HashSet<>(userIds(c.profileId()));
                    userIds.add(ids.userId().get());
                    if (work.mergeDifferentUserIds() || userIds.size() <= 1) {
                        return Optional.of(c.profileId());
                    }
                }
            }
            return Optional.empty();
        }
        for (Candidate c : candidates) {
            List<String> userIds = userIds(c.profileId());
            if (!userIds.isEmpty() && (work.mergeDifferentUserIds() || userIds.size() == 1)) {
                return Optional.of(c.profileId());
            }
        }
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0).profileId());
    }

    private List<String> merge(ProfileState target, Optional<String> userId, List<Candidate> candidates, Event e) {
        Set<String> userIds = new HashSet<>(target.identities(IdentityKind.USER_ID));
        userId.ifPresent(userIds::add);
        List<String> mergedAway = new ArrayList<>();
        Set<String> requested = new HashSet<>();
        for (Candidate c : candidates) {
            Optional<String> resolved = resolve(c.by());
            if (resolved.isEmpty() || resolved.get().equals(target.id)) {
                continue;
            }
            String from = resolved.get();
            Set<String> together = new HashSet<>(userIds);
            together.addAll(userIds(from));
            if (!work.mergeDifferentUserIds() && together.size() > 1 || work.separations().separated(target.id, from)) {
                continue;
            }
            if (isLocal(from)) {
                work.absorb(target, work.state(from), c.by(), e.timestamp(), e.messageId());
                mergedAway.add(from);
            } else {
                if (userIds.isEmpty() && !userIds(from).isEmpty()) {
                    continue; // the target would take a userId homed elsewhere; chooseTarget prevents it
                }
                if (requested.add(from)) {
                    send(new RelayRecord.Request(c.by(), target.id, e.timestamp(), e.messageId(), 0), homeKeyOf(from).orElseThrow());
                }
            }
            userIds = together;
        }
        return mergedAway;
    }

    private void forward(Event e, String key, int hop) {
        forwarded.add(e.messageId());
        send(new RelayRecord.Forward(e, hop + 1), key);
    }

    // ---- relay records

    private void applyRelay(LoggedEvent logged) {
        String key = partition + ":" + logged.event().messageId();
        if (relaysApplied.contains(key) || committed.relayApplied(key)) {
            return;
        }
        relaysApplied.add(key);
        switch (RelayRecord.of(logged.event())) {
            case RelayRecord.Forward f -> {
                String id = f.event().messageId();
                if (!work.applied(id) && !seenRecently.test(id)) {
                    applyEvent(logged, f.event(), f.hop());
                }
            }
            case RelayRecord.Request r -> request(r, logged);
            case RelayRecord.Handoff h -> handoff(h, logged);
        }
    }

    private void request(RelayRecord.Request r, LoggedEvent logged) {
        Optional<String> holder = resolve(r.by());
        Optional<String> into = locate(r.into());
        if (holder.isEmpty() || into.isEmpty() || holder.equals(into)) {
            return; // nothing (left) to merge
        }
        String l = holder.get();
        String s = into.get();
        if (!isLocal(l)) {
            send(new RelayRecord.Request(r.by(), r.into(), r.at(), r.cause(), r.hop() + 1), homeKeyOf(l).orElseThrow());
            return;
        }
        List<String> survivorUserIds = userIds(s);
        Set<String> together = new HashSet<>(survivorUserIds);
        together.addAll(userIds(l));
        if (!work.mergeDifferentUserIds() && together.size() > 1 || work.separations().separated(s, l)) {
            return;
        }
        if (survivorUserIds.isEmpty() && !userIds(l).isEmpty()) {
            // the loser has become known since: it survives, the (anonymous) requester goes to it
            Identity survivorKey = Identity.anonymousId(homeKeyOf(s).orElseThrow());
            if (isLocal(s)) {
                mergeHere(work.state(l), work.state(s), survivorKey, r, logged);
            } else {
                send(new RelayRecord.Request(survivorKey, l, r.at(), r.cause(), r.hop() + 1), homeKeyOf(s).orElseThrow());
            }
            return;
        }
        if (isLocal(s)) {
            mergeHere(work.state(s), work.state(l), r.by(), r, logged);
            return;
        }
        ProfileState loser = work.state(l);
        Profile snapshot = loser.snapshot();
        work.handOver(loser, s, r.by(), r.at(), r.cause());
        send(new RelayRecord.Handoff(snapshot, s, r.by(), r.at(), r.cause(), 0), homeKeyOf(s).orElseThrow());
    }

    private void mergeHere(ProfileState target, ProfileState other, Identity by, RelayRecord.Request r, LoggedEvent logged) {
        Optional<Profile> before = work.recordChanges() ? Optional.of(target.snapshot()) : Optional.empty();
        work.absorb(target, other, by, r.at(), r.cause());
        work.touch(target);
        if (work.recordChanges()) {
            work.recordChange(new ProfileChange(before, target.snapshot(), logged, List.of(other.id)));
        }
    }

    private void handoff(RelayRecord.Handoff h, LoggedEvent logged) {
        String s = locate(h.into()).orElseThrow(() -> new IllegalStateException(
                "hand-off of " + h.loser().id() + " into " + h.into() + ", which never existed"));
        if (!isLocal(s)) {
            send(new RelayRecord.Handoff(h.loser(), h.into(), h.by(), h.at(), h.cause(), h.hop() + 1), homeKeyOf(s).orElseThrow());
            return;
        }
        ProfileState target = work.state(s);
        Optional<Profile> before = work.recordChanges() ? Optional.of(target.snapshot()) : Optional.empty();
        ProfileState loser = ProfileState.of(h.loser());
        target.absorbHandedOver(loser, logged.offset());
        for (Identity i : loser.allIdentities()) {
            if (resolve(i).filter(s::equals).isPresent()) {
                work.link(i, s);
            }
        }
        work.touch(target);
        if (work.recordChanges()) {
            work.recordChange(new ProfileChange(before, target.snapshot(), logged, List.of(h.loser().id())));
        }
    }

    private void send(RelayRecord record, String key) {
        relays.add(new Relay(record.id(), partition, key, record.toEvent(key)));
    }

    // ---- where profiles are

    /** The profile carrying the identity now, followed through merges; fresh from the store when it is another partition's. */
    private Optional<String> resolve(Identity identity) {
        Optional<String> linked = work.linkedInBatch(identity);
        if (linked.isPresent()) {
            return locate(linked.get());
        }
        Optional<String> cached = committed.resolve(identity); // a miss was read from the store (misses are not cached)
        if (cached.isEmpty()) {
            return cached;
        }
        Optional<String> at = locate(cached.get());
        if (at.isPresent() && isLocal(at.get())) {
            return at;
        }
        return committed.resolveFresh(identity).flatMap(this::locate);
    }

    /** The profile itself if it exists, else the one it was merged into (and so on). */
    private Optional<String> locate(String profileId) {
        String at = profileId;
        for (int i = 0; i < MAX_CHAIN; i++) {
            if (work.touched(at).isPresent()) {
                return Optional.of(at);
            }
            if (work.deletedInBatch(at)) {
                Optional<String> into = work.mergedInBatch(at);
                if (into.isEmpty()) {
                    return Optional.empty();
                }
                at = into.get();
                continue;
            }
            if (committed.find(at).isPresent()) {
                return Optional.of(at);
            }
            String gone = at;
            Optional<String> into = committed.merges(gone).stream().filter(m -> m.from().equals(gone))
                    .map(MergeRecord::into).reduce((a, b) -> b);
            if (into.isEmpty()) {
                return Optional.empty();
            }
            work.gone(gone);
            at = into.get();
        }
        throw new IllegalStateException("merge chain from " + profileId + " longer than " + MAX_CHAIN);
    }

    private boolean isLocal(String profileId) {
        return homeKeyOf(profileId).map(k -> partitions.partitionOf(k) == partition).orElse(true);
    }

    private Optional<String> homeKeyOf(String profileId) {
        Optional<ProfileState> here = work.touched(profileId);
        if (here.isPresent()) {
            return here.get().homeKey();
        }
        return committed.find(profileId).flatMap(Profile::homeKey);
    }

    private List<String> userIds(String profileId) {
        Optional<ProfileState> here = work.touched(profileId);
        if (here.isPresent()) {
            return here.get().identities(IdentityKind.USER_ID);
        }
        return committed.find(profileId).map(p -> p.identities().getOrDefault(IdentityKind.USER_ID, List.of())).orElse(List.of());
    }
}
