package io.tessera.server.profile;

import io.tessera.event.EventCodec;
import io.tessera.profile.EventAggregate;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The profile as the admin API shows it (DESIGN.md §5): id, identities by kind, trait values,
 * per-event aggregates, segment memberships and the recent timeline (newest last).
 */
final class ProfileView {
    private ProfileView() {}

    static Map<String, Object> of(Profile p, List<?> segments) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", p.id());
        Map<String, Object> identities = new LinkedHashMap<>();
        for (IdentityKind k : IdentityKind.values()) {
            List<String> values = p.identities().getOrDefault(k, List.of());
            if (!values.isEmpty()) {
                identities.put(k.apiName(), values);
            }
        }
        out.put("identities", identities);
        Map<String, Object> traits = new TreeMap<>();
        Map<String, Object> traitTimes = new TreeMap<>();
        p.traits().forEach((k, v) -> {
            traits.put(k, v.value());
            traitTimes.put(k, v.setAt().toString());
        });
        out.put("traits", traits);
        out.put("traitsSetAt", traitTimes);
        Map<String, Object> events = new TreeMap<>();
        p.events().forEach((name, a) -> events.put(name, aggregate(a)));
        out.put("events", events);
        out.put("segments", segments);
        out.put("timeline", p.timeline().stream().map(EventCodec::toMap).toList());
        out.put("lastOffset", p.lastOffset());
        return out;
    }

    private static Map<String, Object> aggregate(EventAggregate a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", a.count());
        m.put("first", a.first().toString());
        m.put("last", a.last().toString());
        if (!a.sums().isEmpty()) {
            m.put("sums", new TreeMap<>(a.sums()));
        }
        return m;
    }
}
