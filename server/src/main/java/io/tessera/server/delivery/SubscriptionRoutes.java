package io.tessera.server.delivery;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.ingest.Ingestor;
import io.tessera.profile.Identity;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import io.tessera.profile.TraitValue;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A profile's subscription topics: {@code GET /api/v1/profiles/{id}/subscriptions} and
 * {@code PUT …} with {@code {"topics": {"news": true, "offers": false}}} ({@code id} is a userId
 * or a profile id). A topic's state is the profile trait {@code topic.<key>} ({@code true}
 * subscribed, {@code false} unsubscribed), so it can equally be set by an identify call and used in
 * segment conditions. A PUT writes one identify event (one trait per topic, so two changes to
 * different topics never overwrite each other) and answers 202: the profile shows it once the
 * engine has applied the event. Unsubscribing from everything is the suppression list's job
 * (one-click link).
 */
public final class SubscriptionRoutes {

    private static final String TOPIC_KEY = "[A-Za-z0-9_-]{1,64}";

    private final ProfileStore profiles;
    private final ProfileEventWriter writer;
    private final InstantSource clock;

    public SubscriptionRoutes(Ingestor ingestor, ProfileStore profiles, InstantSource clock) {
        this.profiles = profiles;
        this.writer = new ProfileEventWriter(ingestor, profiles);
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/profiles/{id}/subscriptions", this::show);
        routes.put("/api/v1/profiles/{id}/subscriptions", this::update);
    }

    private void show(Context ctx) {
        Optional<Profile> p = profile(ctx.pathParam("id"));
        if (p.isEmpty()) {
            throw new ApiException("not_found", "no such profile", List.of());
        }
        Map<String, Object> topics = new LinkedHashMap<>();
        p.get().traits().entrySet().stream().filter(e -> e.getKey().startsWith(Campaign.Topic.traitOf("")))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> topics.put(e.getKey().substring(Campaign.Topic.traitOf("").length()), value(e.getValue())));
        JsonBodies.write(ctx, 200, Map.of("profileId", p.get().id(), "topics", topics));
    }

    private void update(Context ctx) {
        Optional<Profile> p = profile(ctx.pathParam("id"));
        if (p.isEmpty()) {
            throw new ApiException("not_found", "no such profile", List.of());
        }
        JsonNode body = JsonBodies.read(ctx);
        JsonNode topics = body == null ? null : body.path("topics");
        List<Map<String, String>> problems = new ArrayList<>();
        Map<String, Object> traits = new LinkedHashMap<>();
        Map<String, Object> echo = new LinkedHashMap<>();
        if (topics == null || !topics.isObject() || topics.isEmpty()) {
            problems.add(Map.of("pointer", "/topics", "message", "required: an object of topic → true|false"));
        } else {
            for (Map.Entry<String, JsonNode> e : topics.properties()) {
                if (!e.getKey().matches(TOPIC_KEY)) {
                    problems.add(Map.of("pointer", "/topics/" + e.getKey(), "message", "topic keys are letters, digits, '_' and '-'"));
                } else if (!e.getValue().isBoolean()) {
                    problems.add(Map.of("pointer", "/topics/" + e.getKey(), "message", "must be true or false"));
                } else {
                    traits.put(Campaign.Topic.traitOf(e.getKey()), e.getValue().asBoolean());
                    echo.put(e.getKey(), e.getValue().asBoolean());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException("invalid_subscriptions", problems.size() + " problem(s)", problems);
        }
        if (!writer.identify(p.get().id(), traits, "subs-" + UUID.randomUUID(), clock.instant(), "api")) {
            throw new ApiException("conflict", "the profile has no userId or anonymousId to address an event to", List.of());
        }
        JsonBodies.write(ctx, 202, Map.of("profileId", p.get().id(), "topics", echo));
    }

    private Optional<Profile> profile(String id) {
        Optional<String> profileId = profiles.resolve(Identity.userId(id));
        if (profileId.isEmpty() && id.startsWith("p_")) {
            profileId = Optional.of(id);
        }
        return profileId.flatMap(profiles::get);
    }

    private static Object value(TraitValue t) {
        return t.value() instanceof Boolean b ? b : String.valueOf(t.value());
    }


}
