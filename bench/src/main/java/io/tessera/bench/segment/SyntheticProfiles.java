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
    /**
     * The live events, in primitive columns (a real store keeps histories on disk, not on the
     * heap; objects here would be old-generation garbage the engine's GC pays for): event k is
     * on profile {@code liveProfile[k]}, the one before it of that profile is {@code livePrevious[k]}.
     * Guarded by {@code this}.
     */
    private int liveCount;
    private int[] liveProfile = new int[1 << 16];
    private int[] livePrevious = new int[1 << 16];
    private byte[] liveName = new byte[1 << 16];
    private byte[] liveCategory = new byte[1 << 16];
    private int[] liveRevenue = new int[1 << 16];
    private long[] liveSecond = new long[1 << 16];
    private int[] liveNano = new int[1 << 16];
    private long[] liveOffset = new long[1 << 16];
    /** Per profile: its last live event (-1: none). */
    private final int[] lastLive;

    SyntheticProfiles(int n, Instant start) {
        this.n = n;
        this.start = start;
        this.lastLive = new int[n];
        java.util.Arrays.fill(lastLive, -1);
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

    /**
     * Records live event {@code k} of profile i (a track event of {@link #NAMES}[name] with a
     * revenue and a {@link #CATEGORIES} category; its id is "live" + k) and returns it.
     */
    synchronized Event append(int i, int k, int name, int revenue, int category, Instant at) {
        if (liveCount == liveProfile.length) {
            int size = liveCount * 2;
            liveProfile = java.util.Arrays.copyOf(liveProfile, size);
            livePrevious = java.util.Arrays.copyOf(livePrevious, size);
            liveName = java.util.Arrays.copyOf(liveName, size);
            liveCategory = java.util.Arrays.copyOf(liveCategory, size);
            liveRevenue = java.util.Arrays.copyOf(liveRevenue, size);
            liveSecond = java.util.Arrays.copyOf(liveSecond, size);
            liveNano = java.util.Arrays.copyOf(liveNano, size);
            liveOffset = java.util.Arrays.copyOf(liveOffset, size);
        }
        int e = liveCount++;
        liveProfile[e] = i;
        livePrevious[e] = lastLive[i];
        liveName[e] = (byte) name;
        liveCategory[e] = (byte) category;
        liveRevenue[e] = revenue;
        liveSecond[e] = at.getEpochSecond();
        liveNano[e] = at.getNano();
        liveOffset[e] = k;
        lastLive[i] = e;
        return liveEvent(e);
    }

    private Event liveEvent(int e) {
        return Event.track("live" + liveOffset[e], "u" + liveProfile[e], NAMES.get(liveName[e]),
                Map.of("revenue", liveRevenue[e], "category", CATEGORIES.get(liveCategory[e])),
                Instant.ofEpochSecond(liveSecond[e], liveNano[e]));
    }

    @Override
    public synchronized Optional<Profile> get(String profileId) {
        int i = number(profileId);
        return i < n ? Optional.of(profile(i, lastLive[i] < 0 ? -1 : liveOffset[lastLive[i]])) : Optional.empty();
    }

    @Override
    public Optional<String> resolve(Identity identity) {
        return Optional.of(id(Integer.parseInt(identity.value().substring(1))));
    }

    @Override
    public synchronized List<Event> history(String profileId) {
        int i = number(profileId);
        List<Event> h = new ArrayList<>(base(i));
        if (lastLive[i] >= 0) {
            for (int e = lastLive[i]; e >= 0; e = livePrevious[e]) {
                h.add(liveEvent(e));
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
    public synchronized void clear() {
        liveCount = 0;
        java.util.Arrays.fill(lastLive, -1);
    }

    @Override
    public void close() {}
}
