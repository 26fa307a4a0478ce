package io.tessera.testkit;

import io.tessera.delivery.campaign.Recipients;
import io.tessera.delivery.campaign.SegmentMembers;
import io.tessera.profile.Identity;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.TraitValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A generated audience for campaign tests and benches: profiles {@code p0000001…} with
 * addresses {@code r0000001@d<i % domains>.example}, a first name, a city and a time zone, all
 * members of every segment except those listed as excluded. Cheap to create for a million
 * recipients: profiles are built on demand. Thread-safe.
 */
public final class SyntheticAudience implements SegmentMembers, Recipients {

    private static final String[] NAMES = {"Ann", "Bob", "Chloé", "Dmitri", "Eve", "Fatima", "Gus", "Hiroko"};
    private static final String[] CITIES = {"Lisbon", "Oslo", "Kyoto", "Quito", "Accra", "Perth"};
    private static final String[] ZONES = {"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"};

    private final int size;
    private final int domains;
    private final Map<String, Set<String>> segmentExclusions = new ConcurrentHashMap<>();

    public SyntheticAudience(int size, int domains) {
        this.size = size;
        this.domains = domains;
    }

    public static String profileId(int i) {
        return String.format("p%07d", i);
    }

    public String address(int i) {
        return String.format("r%07d@d%d.example", i, i % domains);
    }

    /** Makes {@code segment} contain only the given profile ids (for exclusion and trigger tests). */
    public void restrict(String segment, Set<String> members) {
        segmentExclusions.put(segment, Set.copyOf(members));
    }

    @Override
    public List<String> members(String segment, String afterId, int limit) {
        Set<String> only = segmentExclusions.get(segment);
        List<String> out = new ArrayList<>(limit);
        int start = afterId.isEmpty() ? 1 : Integer.parseInt(afterId.substring(1)) + 1;
        for (int i = start; i <= size && out.size() < limit; i++) {
            String id = profileId(i);
            if (only == null || only.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public boolean contains(String segment, String profileId) {
        Set<String> only = segmentExclusions.get(segment);
        return only == null || only.contains(profileId);
    }

    @Override
    public Optional<Profile> profile(String profileId) {
        int i = Integer.parseInt(profileId.substring(1));
        if (i < 1 || i > size) {
            return Optional.empty();
        }
        Instant at = Instant.parse("2026-10-01T00:00:00Z");
        String email = address(i);
        Map<String, TraitValue> traits = Map.of(
                "email", new TraitValue(email, at),
                "firstName", new TraitValue(NAMES[i % NAMES.length], at),
                "city", new TraitValue(CITIES[i % CITIES.length], at),
                "timezone", new TraitValue(ZONES[i % ZONES.length], at));
        return Optional.of(new Profile(profileId, Map.of(IdentityKind.EMAIL, List.of(email),
                IdentityKind.USER_ID, List.of("u" + i)), traits, Map.of(), List.of(), i));
    }

    /** The identity a real store would resolve for recipient {@code i}. */
    public Identity identity(int i) {
        return new Identity(IdentityKind.EMAIL, address(i));
    }
}
