package io.tessera.testkit;

import io.tessera.event.Event;
import io.tessera.profile.Identity;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ProfileStore} in memory: for tests of later stages (segments, content) that need
 * profiles but not persistence, and for the engine benchmark's pure-CPU figure. Passes
 * {@link ProfileStoreContract} (state survives "reopen" only within one instance). Thread-safe:
 * every method holds this object's monitor.
 */
public final class InMemoryProfileStore implements ProfileStore {
    private static final Comparator<HistoryEntry> BY_TIME_THEN_OFFSET =
            Comparator.comparing((HistoryEntry h) -> h.event().timestamp()).thenComparingLong(HistoryEntry::offset);

    private final TreeMap<String, Profile> profiles = new TreeMap<>();
    private final Map<Identity, String> links = new HashMap<>();
    private final Map<String, java.util.Set<Identity>> linksByProfile = new HashMap<>();
    private final Map<String, List<HistoryEntry>> history = new HashMap<>();
    private final List<MergeRecord> merges = new ArrayList<>();
    private final Map<Integer, Long> offsets = new HashMap<>();
    private final List<Separation> separations = new ArrayList<>();
    private final Map<String, Relay> relays = new java.util.LinkedHashMap<>();
    private final java.util.Set<String> relaysApplied = new java.util.HashSet<>();

    @Override
    public synchronized Optional<Profile> get(String profileId) {
        Profile p = profiles.get(profileId);
        if (p == null) {
            return Optional.empty();
        }
        List<Event> all = history(profileId);
        List<Event> timeline = all.subList(Math.max(0, all.size() - Profile.TIMELINE_LIMIT), all.size());
        return Optional.of(new Profile(p.id(), p.identities(), p.traits(), p.events(), timeline, p.lastOffset()));
    }

    @Override
    public synchronized Optional<String> resolve(Identity identity) {
        return Optional.ofNullable(links.get(identity));
    }

    @Override
    public synchronized List<Event> history(String profileId) {
        return history.getOrDefault(profileId, List.of()).stream().sorted(BY_TIME_THEN_OFFSET).map(HistoryEntry::event).toList();
    }

    @Override
    public synchronized void commit(ProfileCommit c) {
        c.startedFrom().forEach((partition, expected) -> {
            long stored = offsets.getOrDefault(partition, -1L);
            if (stored != expected) {
                throw new io.tessera.profile.FencedCommitException(partition, expected, stored);
            }
        });
        java.util.Set<String> mayMove = new java.util.HashSet<>(c.deletes());
        c.upserts().forEach(p -> mayMove.add(p.id()));
        c.links().forEach((identity, owner) -> {
            String current = links.get(identity);
            if (current != null && !current.equals(owner) && !mayMove.contains(current) && profiles.containsKey(current)) {
                throw new IllegalStateException("identity " + identity + " is linked to " + current + ", not to a profile of this commit");
            }
        });
        for (String key : c.relaysApplied()) {
            if (relaysApplied.contains(key)) {
                throw new IllegalStateException("relay record " + key + " applied twice");
            }
        }
        relaysApplied.addAll(c.relaysApplied());
        c.relays().forEach(r -> relays.putIfAbsent(r.messageId(), r));
        c.history().forEach(h -> history.computeIfAbsent(h.profileId(), k -> new ArrayList<>()).add(h));
        c.links().forEach(this::link);
        for (MergeRecord m : c.merges()) {
            merges.add(m);
            List<HistoryEntry> moved = history.remove(m.from());
            if (moved != null) {
                List<HistoryEntry> into = history.computeIfAbsent(m.into(), k -> new ArrayList<>());
                moved.forEach(h -> into.add(new HistoryEntry(m.into(), h.offset(), h.event())));
            }
            java.util.Set<Identity> moving = linksByProfile.remove(m.from());
            if (moving != null) {
                List.copyOf(moving).forEach(identity -> link(identity, m.into()));
            }
        }
        c.upserts().forEach(p -> profiles.put(p.id(), p));
        c.deletes().forEach(profiles::remove);
        offsets.putAll(c.offsets());
    }

    private void link(Identity identity, String profileId) {
        String previous = links.put(identity, profileId);
        if (previous != null) {
            java.util.Set<Identity> old = linksByProfile.get(previous);
            if (old != null) {
                old.remove(identity);
            }
        }
        linksByProfile.computeIfAbsent(profileId, k -> new java.util.HashSet<>()).add(identity);
    }

    @Override
    public synchronized List<Relay> pendingRelays(int partition) {
        return relays.values().stream().filter(r -> r.partition() == partition).toList();
    }

    @Override
    public synchronized void relaysSent(java.util.Collection<String> messageIds) {
        messageIds.forEach(relays::remove);
    }

    @Override
    public synchronized boolean relayApplied(String key) {
        return relaysApplied.contains(key);
    }

    @Override
    public synchronized long resumeAfter(int partition) {
        return offsets.getOrDefault(partition, -1L);
    }

    @Override
    public synchronized long count() {
        return profiles.size();
    }

    @Override
    public synchronized List<String> ids(String afterId, int limit) {
        return profiles.tailMap(afterId, false).keySet().stream().limit(limit).toList();
    }

    @Override
    public synchronized List<MergeRecord> merges(String profileId) {
        return merges.stream().filter(m -> m.from().equals(profileId) || m.into().equals(profileId)).toList();
    }

    @Override
    public synchronized List<HistoryEntry> historyEntries(String profileId) {
        return history.getOrDefault(profileId, List.of()).stream().sorted(Comparator.comparingLong(HistoryEntry::offset)).toList();
    }

    @Override
    public synchronized void split(ProfileSplit split) {
        java.util.Set<String> ids = new java.util.HashSet<>(List.of(split.separation().from(), split.separation().into()));
        split.profiles().forEach(p -> ids.add(p.id()));
        ids.forEach(history::remove);
        split.history().forEach(h -> history.computeIfAbsent(h.profileId(), k -> new ArrayList<>()).add(h));
        split.links().forEach(this::link);
        split.profiles().forEach(p -> profiles.put(p.id(), p));
        separations.add(split.separation());
    }

    @Override
    public synchronized List<Separation> separations() {
        return List.copyOf(separations);
    }

    @Override
    public synchronized void clear() {
        profiles.clear();
        links.clear();
        linksByProfile.clear();
        history.clear();
        merges.clear();
        offsets.clear();
    }

    @Override
    public void close() {}
}
