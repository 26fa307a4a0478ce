package io.tessera.segment;

import io.tessera.event.Event;
import io.tessera.event.EventType;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.EventAggregate;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.TraitValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A small stand-in for the profile engine and its store, for segment tests: one profile per user
 * id, traits from identify calls (by event time), the full history by event time then offset.
 * Like the real engine it commits a whole batch before telling listeners about each event.
 */
final class HistoryProfiles implements ProfileStore {
    private final TreeMap<String, Profile> profiles = new TreeMap<>();
    private final Map<String, List<HistoryEntry>> history = new HashMap<>();
    private long offset = -1;

    /** One applied event, as the profile engine reports it. */
    record Change(Optional<Profile> before, Profile after, LoggedEvent cause) {}

    synchronized List<Change> applyBatch(List<Event> batch) {
        List<Change> changes = new ArrayList<>();
        for (Event e : batch) {
            offset++;
            String id = "p_" + e.userId().orElseThrow();
            Optional<Profile> before = Optional.ofNullable(profiles.get(id));
            Map<String, TraitValue> traits = new HashMap<>(before.map(Profile::traits).orElse(Map.of()));
            if (e.type() == EventType.IDENTIFY) {
                e.traits().forEach((k, v) -> {
                    TraitValue old = traits.get(k);
                    if (old == null || !old.setAt().isAfter(e.timestamp())) {
                        traits.put(k, new TraitValue(v, e.timestamp()));
                    }
                });
            }
            Map<String, EventAggregate> aggs = new HashMap<>(before.map(Profile::events).orElse(Map.of()));
            if (e.type() == EventType.TRACK) {
                EventAggregate a = aggs.get(e.name());
                aggs.put(e.name(), a == null ? new EventAggregate(1, e.timestamp(), e.timestamp(), Map.of())
                        : new EventAggregate(a.count() + 1, min(a.first(), e.timestamp()), max(a.last(), e.timestamp()), Map.of()));
            }
            Profile after = new Profile(id, Map.of(IdentityKind.USER_ID, List.of(e.userId().get())), traits, aggs, List.of(), offset);
            profiles.put(id, after);
            history.computeIfAbsent(id, k -> new ArrayList<>()).add(new HistoryEntry(id, offset, e));
            changes.add(new Change(before, after, new LoggedEvent(0, offset, e)));
        }
        return changes;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    @Override
    public synchronized Optional<Profile> get(String profileId) {
        return Optional.ofNullable(profiles.get(profileId));
    }

    @Override
    public synchronized Optional<String> resolve(Identity identity) {
        String id = "p_" + identity.value();
        return profiles.containsKey(id) ? Optional.of(id) : Optional.empty();
    }

    @Override
    public synchronized List<Event> history(String profileId) {
        return history.getOrDefault(profileId, List.of()).stream()
                .sorted(Comparator.comparing((HistoryEntry h) -> h.event().timestamp()).thenComparingLong(HistoryEntry::offset))
                .map(HistoryEntry::event).toList();
    }

    @Override
    public void commit(ProfileCommit commit) {
        throw new UnsupportedOperationException("use applyBatch");
    }

    @Override
    public synchronized long resumeAfter(int partition) {
        return offset;
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
    public List<MergeRecord> merges(String profileId) {
        return List.of();
    }

    @Override
    public List<HistoryEntry> historyEntries(String profileId) {
        throw new UnsupportedOperationException("profiles here are never merged, so never split");
    }

    @Override
    public void split(ProfileSplit split) {
        throw new UnsupportedOperationException("profiles here are never merged, so never split");
    }

    @Override
    public List<Separation> separations() {
        return List.of();
    }

    @Override
    public synchronized void clear() {
        profiles.clear();
        history.clear();
    }

    @Override
    public void close() {}
}
