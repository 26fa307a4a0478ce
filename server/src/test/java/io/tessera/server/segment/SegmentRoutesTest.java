package io.tessera.server.segment;

import io.tessera.server.ErrorMapper;
import io.tessera.server.Json;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.tessera.event.Event;
import io.tessera.event.LoggedEvent;
import io.tessera.profile.ProfileEngine;
import io.tessera.segment.ProfileScores;
import io.tessera.segment.SegmentEngine;
import io.tessera.segment.SegmentRegistry;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteProfileStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import io.tessera.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The segments API over HTTP, on the real profile engine and SQLite. */
class SegmentRoutesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private SqliteProfileStore profileStore;
    private SqliteMembershipStore memberships;
    private SqliteWindowTimerStore timers;
    private SqliteSegmentDefinitionStore definitions;
    private ProfileEngine profiles;
    private SegmentRoutes routes;
    private Javalin app;
    private final HttpClient http = HttpClient.newHttpClient();
    private long offset = -1;

    @BeforeEach
    void start() {
        Path db = dir.resolve("tessera.db");
        profileStore = new SqliteProfileStore(db);
        memberships = new SqliteMembershipStore(db);
        timers = new SqliteWindowTimerStore(db);
        definitions = new SqliteSegmentDefinitionStore(db);
        SegmentEngine segments = new SegmentEngine(profileStore, memberships, timers, ProfileScores.none(), clock, 10_000);
        profiles = new ProfileEngine(profileStore, clock);
        profiles.addListener(segments);
        SegmentRegistry registry = new SegmentRegistry(definitions, memberships, segments, profileStore, clock, Runnable::run);
        registry.start();
        routes = new SegmentRoutes(registry, segments, memberships, profileStore);
        app = Javalin.create(cfg -> {
            new ErrorMapper(new Json()).register(cfg.routes);
            routes.register(cfg);
        }).start(0);
    }

    @AfterEach
    void stop() {
        app.stop();
        memberships.close();
        timers.close();
        definitions.close();
        profileStore.close();
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void send(List<Event> events) {
        List<LoggedEvent> batch = new ArrayList<>();
        for (Event e : events) {
            batch.add(new LoggedEvent(0, ++offset, e));
        }
        profiles.onBatch(0, batch);
    }

    @Test
    void savesCountsListsExplainsAndDeletesSegments() throws Exception {
        var saved = call("PUT", "/api/v1/segments/browse_abandoners", """
                {"name": "Browse abandoners", "condition": "count(\\"Product Viewed\\", duration(\\"48h\\")) > 0 && count(\\"Order Completed\\", duration(\\"48h\\")) == 0"}""");
        assertThat(saved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(saved.body()).path("version").asInt()).isEqualTo(1);

        send(List.of(Event.track("m1", "u1", "Product Viewed", Map.of(), clock.instant()),
                Event.track("m2", "u2", "Product Viewed", Map.of(), clock.instant())));
        assertThat(JSON.readTree(call("GET", "/api/v1/segments/browse_abandoners/count", null).body()).path("count").asLong()).isEqualTo(2);

        JsonNode page = JSON.readTree(call("GET", "/api/v1/segments/browse_abandoners/members?limit=1", null).body());
        assertThat(page.path("members")).hasSize(1);
        assertThat(page.path("members").get(0).path("userId").asString()).isIn("u1", "u2");
        JsonNode rest = JSON.readTree(call("GET", "/api/v1/segments/browse_abandoners/members?limit=1&cursor=" + page.path("next").asString(), null).body());
        assertThat(rest.path("members")).hasSize(1);
        assertThat(rest.path("next").isNull()).isTrue();

        String profileId = page.path("members").get(0).path("profileId").asString();
        JsonNode explain = JSON.readTree(call("GET", "/api/v1/segments/browse_abandoners/explain/" + profileId, null).body());
        assertThat(explain.path("member").asBoolean()).isTrue();
        assertThat(explain.path("steps").toString()).contains("count(\\\"Product Viewed\\\", duration(\\\"48h\\\"))");
        assertThat(routes.membershipsOf(profileId)).extracting(m -> m.get("key")).containsExactly("browse_abandoners");

        assertThat(JSON.readTree(call("GET", "/api/v1/segments", null).body()).path("segments")).hasSize(1);
        assertThat(call("DELETE", "/api/v1/segments/browse_abandoners", null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/segments/browse_abandoners", null).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(call("GET", "/api/v1/segments/browse_abandoners/versions", null).body()).path("versions")).hasSize(1);
    }

    @Test
    void rejectsAnInvalidConditionWithTheCelErrorAndPosition() throws Exception {
        var r = call("PUT", "/api/v1/segments/broken", "{\"name\": \"x\", \"condition\": \"count(\\\"A\\\") >\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("invalid_condition");
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(error.path("details").get(0).path("column").asInt()).isEqualTo(13);
    }
}
