package io.tessera.profile;

import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.ProfileStore.HistoryEntry;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.profile.ProfileStore.ProfileCommit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The engine's work on one batch: identity resolution, merges and event application against an
 * overlay of what this batch changed on top of what is committed, and the {@link ProfileCommit}
 * that makes it durable. Lives on the engine thread for one batch, then is thrown away.
 *
 * <h2>Resolution of one event</h2>
 * <ol>
 *   <li>Look up every identifier the event names ({@link EventIdentities}) → candidate profiles,
 *       in priority order (userId, email, phone, anonymousId, alias previousId).</li>
 *   <li>Target: the profile of the event's userId; else the first candidate that carries no
 *       other userId; else a new profile whose id derives from the messageId (so a rebuild
 *       creates the same ids).</li>
 *   <li>Every other candidate is merged into the target, unless the two together would carry two
 *       different userIds (never merged unless {@code mergeDifferentUserIds}) or an admin separated
 *       the two by reversing their merge ({@link Separations}); a merge moves all identifiers,
 *       traits (newer wins), aggregates and timeline, and is recorded.</li>
 *   <li>Unlinked identifiers are linked to the target; one still owned by a profile we may not
 *       merge stays with its owner.</li>
 * </ol>
 *
 * <p>With a partitioned log ({@link ProfilePartitions#count} &gt; 1) a batch writes only the
 * profiles whose home is its partition; the rules for the others are in {@link CrossPartition}.
 */
final class BatchApplication {
    /** What is committed: the engine's caches over the store. */
    interface Committed {
        Optional<String> resolve(Identity identity);

        Profile load(String profileId);

        /** Partitioned only: the link as stored now (the caches may be stale for other partitions' profiles). */
        default Optional<String> resolveFresh(Identity identity) {
            return resolve(identity);
        }

        /** Partitioned only: the profile if it exists (from the cache for this node's own profiles). */
        default Optional<Profile> find(String profileId) {
            return Optional.of(load(profileId));
        }

        default List<MergeRecord> merges(String profileId) {
            return List.of();
        }

        default boolean relayApplied(String key) {
            return false;
        }
    }

    record Candidate(Identity by, String profileId) {}

    private final Committed committed;
    private final boolean mergeDifferentUserIds;
    private final java.util.function.Supplier<Separations> separations;
    private final boolean recordChanges;
    private final Map<String, ProfileState> touched = new LinkedHashMap<>();
    private final Map<Identity, String> links = new HashMap<>();
    private final Set<String> deleted = new LinkedHashSet<>();
    private final Set<String> messageIds = new HashSet<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final List<MergeRecord> merges = new ArrayList<>();
    private final List<ProfileChange> changes = new ArrayList<>();
    private final CrossPartition crossPartition;

    /** @param separations read only when a merge is about to happen (rare), at most once per batch by the caller's supplier */
    BatchApplication(Committed committed, boolean mergeDifferentUserIds, java.util.function.Supplier<Separations> separations,
                     boolean recordChanges) {
        this(committed, mergeDifferentUserIds, separations, recordChanges, 0, ProfilePartitions.SINGLE, id -> false);
    }

    /**
     * @param partition    the partition of the batch
     * @param partitions   where profiles live; with one partition every profile is at home
     * @param seenRecently messageIds the engine applied in earlier batches (its dedupe window)
     */
    BatchApplication(Committed committed, boolean mergeDifferentUserIds, java.util.function.Supplier<Separations> separations,
                     boolean recordChanges, int partition, ProfilePartitions partitions,
                     java.util.function.Predicate<String> seenRecently) {
        this.committed = committed;
        this.mergeDifferentUserIds = mergeDifferentUserIds;
        this.separations = separations;
        this.recordChanges = recordChanges;
        this.crossPartition = partitions.count() > 1 ? new CrossPartition(this, partition, partitions, seenRecently) : null;
    }

    /** Whether this batch already applied (or passed on) the messageId. */
    boolean applied(String messageId) {
        return messageIds.contains(messageId) || crossPartition != null && crossPartition.forwarded(messageId);
    }

    void apply(LoggedEvent logged) {
        if (crossPartition != null) {
            crossPartition.apply(logged);
            return;
        }
        Event e = logged.event();
        messageIds.add(e.messageId());
        EventIdentities ids = EventIdentities.of(e);
        List<Identity> toLink = new ArrayList<>(ids.identities());
        List<Candidate> candidates = candidates(ids, toLink);

        Optional<ProfileState> existing = chooseTarget(ids.userId(), candidates);
        ProfileState target = existing.orElseGet(() -> new ProfileState(newProfileId(e)));
        Optional<Profile> before = recordChanges ? existing.map(ProfileState::snapshot) : Optional.empty();

        List<String> mergedAway = mergeCandidates(target, ids.userId(), candidates, e);
        for (Identity i : toLink) {
            Optional<String> owner = resolve(i);
            if (owner.isEmpty() || owner.get().equals(target.id)) {
                links.put(i, target.id);
                target.addIdentity(i);
            }
        }
        target.apply(e, logged.offset());
        touched.put(target.id, target);
        history.add(new HistoryEntry(target.id, logged.offset(), e));
        if (recordChanges) {
            changes.add(new ProfileChange(before, target.snapshot(), logged, mergedAway));
        }
    }

    private List<Candidate> candidates(EventIdentities ids, List<Identity> toLink) {
        return candidates(ids, toLink, this::resolve);
    }

    /**
     * The profiles an event's identities already belong to (its previousId first as an
     * anonymousId, else as a userId); a previousId nobody has is added to {@code toLink}. Shared
     * with {@link CrossPartition}, which resolves through the same batch view.
     */
    static List<Candidate> candidates(EventIdentities ids, List<Identity> toLink, java.util.function.Function<Identity, Optional<String>> resolve) {
        List<Candidate> out = new ArrayList<>();
        for (Identity i : ids.identities()) {
            resolve.apply(i).ifPresent(p -> out.add(new Candidate(i, p)));
        }
        ids.previousId().ifPresent(prev -> {
            Identity asAnonymous = Identity.anonymousId(prev);
            Identity asUser = Identity.userId(prev);
            Optional<String> anon = resolve.apply(asAnonymous);
            Optional<String> user = anon.isPresent() ? Optional.empty() : resolve.apply(asUser);
            anon.ifPresent(p -> out.add(new Candidate(asAnonymous, p)));
            user.ifPresent(p -> out.add(new Candidate(asUser, p)));
            if (anon.isEmpty() && user.isEmpty()) {
                toLink.add(asAnonymous);
            }
        });
        return out;
    }

    private Optional<ProfileState> chooseTarget(Optional<String> userId, List<Candidate> candidates) {
        if (userId.isPresent()) {
            Optional<String> owner = resolve(Identity.userId(userId.get()));
            if (owner.isPresent()) {
                return Optional.of(state(owner.get()));
            }
        }
        for (Candidate c : candidates) {
            ProfileState s = state(c.profileId());
            Set<String> userIds = new HashSet<>(s.identities(IdentityKind.USER_ID));
            userId.ifPresent(userIds::add);
            if (mergeDifferentUserIds || userIds.size() <= 1) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private List<String> mergeCandidates(ProfileState target, Optional<String> userId, List<Candidate> candidates, Event e) {
        Set<String> userIds = new HashSet<>(target.identities(IdentityKind.USER_ID));
        userId.ifPresent(userIds::add);
        List<String> mergedAway = new ArrayList<>();
        for (Candidate c : candidates) {
            String from = resolve(c.by()).orElse(c.profileId());
            if (from.equals(target.id)) {
                continue;
            }
            ProfileState other = state(from);
            Set<String> together = new HashSet<>(userIds);
            together.addAll(other.identities(IdentityKind.USER_ID));
            if (!mergeDifferentUserIds && together.size() > 1 || separations.get().separated(target.id, from)) {
                continue;
            }
            absorb(target, other, c.by(), e.timestamp(), e.messageId());
            userIds = together;
            mergedAway.add(from);
        }
        return mergedAway;
    }

    /** Merges {@code other} (a profile of this partition) into {@code target}, recorded. */
    void absorb(ProfileState target, ProfileState other, Identity by, java.time.Instant at, String messageId) {
        target.absorb(other);
        other.allIdentities().forEach(i -> links.put(i, target.id));
        merges.add(new MergeRecord(other.id, target.id, by, at, messageId));
        touched.remove(other.id);
        deleted.add(other.id);
    }

    private Optional<String> resolve(Identity identity) {
        String linked = links.get(identity);
        return linked != null ? Optional.of(linked) : committed.resolve(identity);
    }

    ProfileState state(String profileId) {
        return touched.computeIfAbsent(profileId, id -> ProfileState.of(committed.load(id)));
    }

    // the overlay, for CrossPartition

    Committed committed() {
        return committed;
    }

    boolean mergeDifferentUserIds() {
        return mergeDifferentUserIds;
    }

    Separations separations() {
        return separations.get();
    }

    boolean recordChanges() {
        return recordChanges;
    }

    Optional<String> linkedInBatch(Identity identity) {
        return Optional.ofNullable(links.get(identity));
    }

    void link(Identity identity, String profileId) {
        links.put(identity, profileId);
    }

    Optional<ProfileState> touched(String profileId) {
        return Optional.ofNullable(touched.get(profileId));
    }

    void touch(ProfileState state) {
        touched.put(state.id, state);
    }

    boolean deletedInBatch(String profileId) {
        return deleted.contains(profileId);
    }

    /** A profile found to be gone (merged away by a commit already durable): deleting it again is a no-op, and lets its links move. */
    void gone(String profileId) {
        deleted.add(profileId);
    }

    /** Where this batch merged a profile into, if it did. */
    Optional<String> mergedInBatch(String profileId) {
        String into = null;
        for (MergeRecord m : merges) {
            if (m.from().equals(profileId)) {
                into = m.into();
            }
        }
        return Optional.ofNullable(into);
    }

    /** A profile of this partition handed over to another partition: deleted here, its links and history move with the merge record. */
    void handOver(ProfileState loser, String into, Identity by, java.time.Instant at, String messageId) {
        loser.allIdentities().forEach(i -> links.put(i, into));
        merges.add(new MergeRecord(loser.id, into, by, at, messageId));
        touched.remove(loser.id);
        deleted.add(loser.id);
    }

    void record(String messageId) {
        messageIds.add(messageId);
    }

    void recordHistory(HistoryEntry entry) {
        history.add(entry);
    }

    void recordChange(ProfileChange change) {
        changes.add(change);
    }

    static String newProfileId(Event e) {
        String hex = UUID.nameUUIDFromBytes(e.messageId().getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        return "p_" + hex.substring(0, 20);
    }

    boolean isEmpty() {
        return history.isEmpty();
    }

    List<ProfileChange> changes() {
        return changes;
    }

    Map<Identity, String> links() {
        return links;
    }

    Set<String> deleted() {
        return deleted;
    }

    Set<String> messageIds() {
        return messageIds;
    }

    /** The relay records this batch decided (sent after its commit). */
    List<ProfileStore.Relay> relays() {
        return crossPartition == null ? List.of() : crossPartition.relays();
    }

    ProfileCommit toCommit(Map<Integer, Long> offsets, Map<Integer, Long> startedFrom) {
        List<Profile> upserts = touched.values().stream().map(ProfileState::snapshot).toList();
        if (crossPartition == null) {
            return new ProfileCommit(upserts, List.copyOf(deleted), links, history, merges, offsets, startedFrom);
        }
        return new ProfileCommit(upserts, List.copyOf(deleted), links, history, merges, offsets, startedFrom,
                crossPartition.relays(), crossPartition.relaysApplied());
    }
}
