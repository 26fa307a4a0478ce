package io.tessera.server.profile;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.event.EventLog;
import io.tessera.profile.Identity;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.quality.QuarantineStore;
import io.tessera.server.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Admin read API for profiles: {@code GET /api/v1/profiles/{userId}},
 * {@code GET /api/v1/profiles?anonymousId=…|email=…|userId=…|id=…} and {@code GET /api/v1/stats}.
 * Memberships come from {@code segmentsOf} (the segment stage supplies it; empty until then).
 */
public final class ProfileRoutes {
    private final ProfileStore store;
    private final ProfileEngine engine;
    private final EventLog log;
    private final QuarantineStore quarantine;
    private final Function<String, List<?>> segmentsOf;

    public ProfileRoutes(ProfileStore store, ProfileEngine engine, EventLog log, QuarantineStore quarantine,
                         Function<String, List<?>> segmentsOf) {
        this.store = store;
        this.engine = engine;
        this.log = log;
        this.quarantine = quarantine;
        this.segmentsOf = segmentsOf;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/profiles/{userId}", ctx -> show(ctx, byUserIdOrProfileId(ctx.pathParam("userId"))));
        routes.get("/api/v1/profiles", ctx -> show(ctx, byQuery(ctx)));
        routes.get("/api/v1/stats", this::stats);
    }

    private Optional<Profile> byUserIdOrProfileId(String id) {
        Optional<String> profileId = store.resolve(Identity.userId(id));
        if (profileId.isEmpty() && id.startsWith("p_")) {
            profileId = Optional.of(id);
        }
        return profileId.flatMap(engine::profile);
    }

    private Optional<Profile> byQuery(Context ctx) {
        if (ctx.queryParam("id") != null) {
            return engine.profile(ctx.queryParam("id"));
        }
        for (String kind : List.of("userId", "anonymousId", "email", "phone")) {
            String v = ctx.queryParam(kind);
            if (v != null) {
                Identity identity = switch (kind) {
                    case "userId" -> Identity.userId(v);
                    case "anonymousId" -> Identity.anonymousId(v);
                    case "email" -> Identity.email(v.trim().toLowerCase(java.util.Locale.ROOT));
                    default -> Identity.phone(v);
                };
                return store.resolve(identity).flatMap(engine::profile);
            }
        }
        throw new ApiException("missing_parameter", "give one of userId, anonymousId, email, phone or id");
    }

    private void show(Context ctx, Optional<Profile> profile) {
        Profile p = profile.orElseThrow(() -> new ApiException("not_found", "no such profile"));
        ctx.json(ProfileView.of(p, segmentsOf.apply(p.id())));
    }

    private void stats(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", log.size());
        m.put("profiles", store.count());
        m.put("quarantined", quarantine.count());
        m.put("eventsApplied", engine.eventsApplied());
        ctx.json(m);
    }
}
