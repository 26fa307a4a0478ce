package io.tessera.server.profile;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.profile.Identity;
import io.tessera.profile.MergeReversal;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.ProfileStore.MergeRecord;
import io.tessera.profile.ProfileStore.Separation;
import io.tessera.server.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Identity merges of a profile and their reversal by an admin:
 * {@code GET /api/v1/profiles/{id}/merges} (every merge into or out of it, with its id and whether
 * it was reversed) and {@code POST /api/v1/profiles/{id}/merges/{mergeId}/reverse} (split the
 * absorbed profile back out, see {@link io.tessera.profile.MergeReversal}; 404 unknown merge, 409
 * already reversed or superseded, and nothing changes). {@code {id}} is a profile id (also a
 * merged-away one) or a userId. Stateless; thread-safe.
 */
public final class MergeRoutes {
    private final ProfileStore store;
    private final ProfileEngine engine;

    public MergeRoutes(ProfileStore store, ProfileEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/profiles/{id}/merges", this::list);
        routes.post("/api/v1/profiles/{id}/merges/{mergeId}/reverse", this::reverse);
    }

    private String profileId(Context ctx) {
        String id = ctx.pathParam("id");
        return store.resolve(Identity.userId(id)).orElse(id);
    }

    private void list(Context ctx) {
        String id = profileId(ctx);
        List<MergeRecord> merges = store.merges(id);
        if (merges.isEmpty() && store.get(id).isEmpty()) {
            throw new ApiException("not_found", "no profile '" + ctx.pathParam("id") + "'");
        }
        Map<String, Separation> reversed = store.separations().stream()
                .collect(Collectors.toMap(Separation::mergeId, Function.identity(), (a, b) -> a));
        ctx.json(Map.of("merges", merges.stream().map(m -> view(m, Optional.ofNullable(reversed.get(m.id())))).toList()));
    }

    private void reverse(Context ctx) {
        switch (engine.reverseMerge(profileId(ctx), ctx.pathParam("mergeId"))) {
            case MergeReversal.Outcome.Refused r -> throw new ApiException(r.code(), r.message());
            case MergeReversal.Outcome.Reversed r -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("reversed", ctx.pathParam("mergeId"));
                out.put("restored", summary(engine.profile(r.restored().id()).orElse(r.restored())));
                out.put("survivor", summary(engine.profile(r.survivor().id()).orElse(r.survivor())));
                ctx.json(out);
            }
        }
    }

    private static Map<String, Object> summary(Profile p) {
        Map<String, Object> view = ProfileView.of(p, List.of());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", view.get("id"));
        out.put("identities", view.get("identities"));
        out.put("events", view.get("events"));
        return out;
    }

    private static Map<String, Object> view(MergeRecord m, Optional<Separation> reversal) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("from", m.from());
        out.put("into", m.into());
        out.put("by", Map.of("kind", m.by().kind().apiName(), "value", m.by().value()));
        out.put("at", m.at().toString());
        out.put("messageId", m.messageId());
        out.put("reversed", reversal.isPresent());
        reversal.ifPresent(s -> out.put("reversedAt", s.at().toString()));
        return out;
    }
}
