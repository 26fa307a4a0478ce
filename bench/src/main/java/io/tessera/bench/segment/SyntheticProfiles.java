package io.tessera.bench.segment;

import io.tessera.event.Event;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.TraitValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A profile store of N synthetic profiles whose base histories are generated on demand from the
 * profile number (so a million profiles cost no memory), plus the live events the benchmark adds.
 * It stands in for the profile store so the benchmark measures the segment engine, not the
 * profile engine; the same base histories feed the naive SQL baseline.
 */
final class SyntheticProfiles implements ProfileStore {
    static final List<String> NAMES = List.of("Product Viewed", "Order Completed", "Cart Viewed", "Checkout Started",
            "Email Opened", "Email Clicked", "Search", "Wishlist Added");
    static final List<String> CATEGORIES = List.of("shoes", "hats", "bags", "coats");

    private final int n;
    private final Instant start;
    private final Map<String, List<Event>> live = new ConcurrentHashMap<>();
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();

    SyntheticProfiles(int n, Instant start) {
        this.n = n;
        this.start = start;
    }

    static String id(int i) {
        String n = Integer.toString(i);
        return "p" + "0000000".substring(Math.min(7, n.length())) + n;
    }

    static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    /** The generated history of profile i (1–3 events in the 72 hours before the start). */
    List<Event> base(int i) {
        Random r = new Random(i * 7919L + 17);
        int k = 1 + r.nextInt(3);
        List<Event> out = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            Instant at = start.minus(Duration.ofSeconds(r.nextInt(72 * 3600)));
            out.add(Event.track("b" + i + "-" + j, "u" + i, NAMES.get(r.nextInt(NAMES.size())),
                    Map.of("revenue", r.nextInt(100), "category", CATEGORIES.get(r.nextInt(CATEGORIES.size()))), at));
        }
        out.sort(java.util.Comparator.comparing(Event::timestamp));
        return out;
    }

    static String plan(int i) {
        return i % 3 == 0 ? "pro" : "free";
    }

    Profile profile(int i, long offset) {
        return new Profile(id(i), Map.of(IdentityKind.USER_ID, List.of("u" + i)),
                Map.of("plan", new TraitValue(plan(i), start)), Map.of(), List.of(), offset);
    }

    /** Records a live event and returns the profile after it. */
    Profile append(int i, Event e, long offset) {
        live.computeIfAbsent(id(i), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(e);
        offsets.put(id(i), offset);
        return profile(i, offset);
    }

    @Override
    public Optional<Profile> get(String profileId) {
        int i = number(profileId);
        return i < n ? Optional.of(profile(i, offsets.getOrDefault(profileId, -1L))) : Optional.empty();
    }

    @Override
    public Optional<String> resolve(Identity identity) {
        return Optional.of(id(Integer.parseInt(identity.value().substring(1))));
    }

    @Override
    public List<Event> history(String profileId) {
        List<Event> h = new ArrayList<>(base(number(profileId)));
        List<Event> l = live.get(profileId);
        if (l != null) {
            synchronized (l) {
                h.addAll(l);
            }
            h.sort(java.util.Comparator.comparing(Event::timestamp));
        }
        return h;
    }

    @Override
    public void commit(ProfileCommit commit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long resumeAfter(int partition) {
        return -1;
    }

    @Override
    public long count() {
        return n;
    }

    @Override
    public List<String> ids(String afterId, int limit) {
        int from = afterId.isEmpty() ? 0 : number(afterId) + 1;
        List<String> out = new ArrayList<>(limit);
        for (int i = from; i < n && out.size() < limit; i++) {
            out.add(id(i));
        }
        return out;
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
    public void clear() {
        live.clear();
    }

    @Override
    public void close() {}
}
