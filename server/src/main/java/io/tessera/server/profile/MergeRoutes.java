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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identity merges of a profile and their reversal by an admin:
 * {@code GET /api/v1/profiles/{id}/merges} (every merge into or out of it, with its id and whether
 * it was reversed) and {@code POST /api/v1/profiles/{id}/merges/{mergeId}/reverse} (split the
 * absorbed profile back out, see {@link io.tessera.profile.MergeReversal}; 404 unknown merge, 409
 * already reversed or superseded, and nothing changes). {@code {id}} is a profile id (also a
 * merged-away one) or a userId.
 *
 * <p>In a cluster only the node that owns the survivor's partition reverses a merge
 * ({@link ProfileEngine#reverseMergeIfOwner}); any other node passes the request on
 * ({@code elsewhere}: a notice every node reads) and waits up to {@link #WAIT} for the separation
 * to appear in the store: 200 as above, else 202 with {@code "status": "pending"} (the owner may be
 * changing; the request is repeated while waiting, and {@code GET .../merges} shows the outcome).
 * Stateless; thread-safe.
 */
public final class MergeRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(MergeRoutes.class);
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REPEAT = Duration.ofSeconds(2);

    private final ProfileStore store;
    private final ProfileEngine engine;
    private final Optional<BiConsumer<String, String>> elsewhere;

    public MergeRoutes(ProfileStore store, ProfileEngine engine) {
        this(store, engine, Optional.empty());
    }

    /** @param elsewhere in a cluster: asks the other nodes to reverse (profileId, mergeId) */
    public MergeRoutes(ProfileStore store, ProfileEngine engine, Optional<BiConsumer<String, String>> elsewhere) {
        this.store = store;
        this.engine = engine;
        this.elsewhere = elsewhere;
    }

    /** A reversal another node asked for: done here if this node owns the survivor, else ignored. */
    public static void reverseIfOwner(ProfileEngine engine, String profileId, String mergeId) {
        try {
            engine.reverseMergeIfOwner(profileId, mergeId).ifPresent(outcome -> LOG.atInfo()
                    .setMessage("merge reversal requested by another node").addKeyValue("mergeId", mergeId)
                    .addKeyValue("outcome", outcome instanceof MergeReversal.Outcome.Refused r ? r.code() : "reversed").log());
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("merge reversal requested by another node failed; the requester may repeat it")
                    .addKeyValue("mergeId", mergeId).setCause(e).log();
        }
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

    private void reverse(Context ctx) throws InterruptedException {
        String profileId = profileId(ctx);
        String mergeId = ctx.pathParam("mergeId");
        Optional<MergeReversal.Outcome> here = engine.reverseMergeIfOwner(profileId, mergeId);
        if (here.isEmpty()) {
            reverseElsewhere(ctx, profileId, mergeId);
            return;
        }
        switch (here.get()) {
            case MergeReversal.Outcome.Refused r -> throw new ApiException(r.code(), r.message());
            case MergeReversal.Outcome.Reversed r -> reversed(ctx, mergeId, r.restored(), r.survivor());
        }
    }

    private void reversed(Context ctx, String mergeId, Profile restored, Profile survivor) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reversed", mergeId);
        out.put("restored", summary(engine.profile(restored.id()).orElse(restored)));
        out.put("survivor", summary(engine.profile(survivor.id()).orElse(survivor)));
        ctx.json(out);
    }

    /** Another node owns the survivor: ask it, and wait a while for the separation to be durable. */
    private void reverseElsewhere(Context ctx, String profileId, String mergeId) throws InterruptedException {
        BiConsumer<String, String> ask = elsewhere.orElseThrow(
                () -> new IllegalStateException("a partitioned engine without a way to reach the other nodes"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        long repeatAt = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= repeatAt) {
                ask.accept(profileId, mergeId);
                repeatAt = System.nanoTime() + REPEAT.toNanos();
            }
            Optional<Separation> done = store.separations().stream().filter(s -> s.mergeId().equals(mergeId)).findFirst();
            if (done.isPresent()) {
                Separation s = done.get();
                reversed(ctx, mergeId, store.get(s.from()).orElseThrow(), store.get(s.into()).orElseThrow());
                return;
            }
            Thread.sleep(100);
        }
        ctx.status(202).json(Map.of("requested", mergeId, "status", "pending"));
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
