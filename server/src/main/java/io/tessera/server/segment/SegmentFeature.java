package io.tessera.server.segment;

import io.javalin.config.JavalinConfig;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.segment.MembershipRecovery;
import io.tessera.segment.ModelScores;
import io.tessera.segment.SegmentEngine;
import io.tessera.segment.SegmentRegistry;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The segments stage as the composition root sees it: its SQLite stores, the engine (subscribed
 * to the profile engine), the registry with a backfill thread, the window timer runner and the
 * routes. One constructor, {@link #register}, {@link #membershipsOf}, {@link #close}.
 */
public final class SegmentFeature implements AutoCloseable {
    private final SqliteMembershipStore memberships;
    private final SqliteWindowTimerStore timers;
    private final SqliteSegmentDefinitionStore definitions;
    private final SegmentEngine engine;
    private final SegmentRegistry registry;
    private final ExecutorService backfills = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "segment-backfill");
        t.setDaemon(true);
        return t;
    });
    private final WindowTimerRunner timerRunner;
    private final SegmentRoutes routes;

    public SegmentFeature(Path dbFile, ProfileStore profiles, ProfileEngine profileEngine, InstantSource clock) {
        this.memberships = new SqliteMembershipStore(dbFile);
        this.timers = new SqliteWindowTimerStore(dbFile);
        this.definitions = new SqliteSegmentDefinitionStore(dbFile);
        this.engine = new SegmentEngine(profiles, memberships, timers, new ModelScores(), clock, 200_000);
        this.registry = new SegmentRegistry(definitions, memberships, engine, profiles, clock, backfills);
        registry.start();
        // Before the log is delivered: memberships behind the profile store (a crash between a
        // profile commit and its segment writes) are re-evaluated first, in the background.
        backfills.execute(new MembershipRecovery(profiles, memberships, engine));
        profileEngine.addListener(engine);
        this.timerRunner = new WindowTimerRunner(engine, Duration.ofMillis(200));
        this.routes = new SegmentRoutes(registry, engine, memberships, profiles);
    }

    public void register(JavalinConfig config) {
        routes.register(config);
    }

    /** For the profile API: {@code [{key, since}]}. */
    public List<Map<String, Object>> membershipsOf(String profileId) {
        return routes.membershipsOf(profileId);
    }

    /** Current memberships and their durable log, for features that read them (campaign audiences, webhooks). */
    public io.tessera.segment.MembershipStore memberships() {
        return memberships;
    }

    public SegmentEngine engine() {
        return engine;
    }

    public SegmentRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        timerRunner.close();
        backfills.shutdownNow();
        memberships.close();
        timers.close();
        definitions.close();
    }
}
