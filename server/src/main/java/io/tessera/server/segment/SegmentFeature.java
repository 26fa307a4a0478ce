package io.tessera.server.segment;

import io.javalin.config.JavalinConfig;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.segment.MembershipRecovery;
import io.tessera.segment.MembershipStore;
import io.tessera.segment.MembershipWriter;
import io.tessera.segment.SegmentDefinitionStore;
import io.tessera.segment.WindowTimerStore;
import io.tessera.segment.ModelScores;
import io.tessera.segment.ModelScoring;
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
    private final MembershipStore memberships;
    private final WindowTimerStore timers;
    private final SegmentDefinitionStore definitions;
    /** Whether {@link #close} closes the stores (only those this feature opened itself). */
    private final boolean ownsStores;
    private final SegmentEngine engine;
    private final SegmentRegistry registry;
    private final ExecutorService backfills = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "segment-backfill");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService writerThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "segment-writer");
        t.setDaemon(true);
        return t;
    });
    private final WindowTimerRunner timerRunner;
    private final ModelScoring scoring;
    private final ScoreSchedule scoreJobs;
    private final SegmentRoutes routes;
    private volatile io.tessera.server.cluster.PartitionOwnership ownership = io.tessera.server.cluster.PartitionOwnership.SINGLE;
    private final ProfileEngine profileEngine;
    private final ProfileStore profiles;
    /** Where consumers read durable membership changes: in-process, or the cluster's topic. */
    private volatile io.tessera.segment.MembershipChangeStream changes;
    /** This node's name in the backfill ledger: {@code cluster.node}, else the JVM's pid@host and this instance. */
    private final String node;

    public SegmentFeature(Path dbFile, ProfileStore profiles, ProfileEngine profileEngine, InstantSource clock) {
        this(dbFile, profiles, profileEngine, clock, key -> java.util.Optional.empty());
    }

    /**
     * @param settings {@code segments.scores.purchaseEvent} (Order Completed), {@code segments.scores.valueProperty}
     *                 (revenue), {@code segments.predict.timeUnit} (day/week/month; week), {@code segments.predict.horizon}
     *                 (52 units), and the schedules {@code segments.rfm.refresh} (1h), {@code segments.predict.rescore}
     *                 (1h), {@code segments.predict.refit} (24h)
     */
    public SegmentFeature(Path dbFile, ProfileStore profiles, ProfileEngine profileEngine, InstantSource clock,
                          java.util.function.Function<String, java.util.Optional<String>> settings) {
        this(new SqliteMembershipStore(dbFile), new SqliteWindowTimerStore(dbFile), new SqliteSegmentDefinitionStore(dbFile),
                profiles, profileEngine, clock, settings, true);
    }

    /** On stores the caller owns (and closes), e.g. the composition root's {@code Stores}; settings as above. */
    public SegmentFeature(MembershipStore memberships, WindowTimerStore timers, SegmentDefinitionStore definitions,
            ProfileStore profiles, ProfileEngine profileEngine, InstantSource clock,
            java.util.function.Function<String, java.util.Optional<String>> settings) {
        this(memberships, timers, definitions, profiles, profileEngine, clock, settings, false);
    }

    private SegmentFeature(MembershipStore memberships, WindowTimerStore timers, SegmentDefinitionStore definitions,
            ProfileStore profiles, ProfileEngine profileEngine, InstantSource clock,
            java.util.function.Function<String, java.util.Optional<String>> settings, boolean ownsStores) {
        this.memberships = memberships;
        this.timers = timers;
        this.definitions = definitions;
        this.ownsStores = ownsStores;
        this.profileEngine = profileEngine;
        this.profiles = profiles;
        this.node = settings.apply("cluster.node").orElseGet(() -> java.lang.management.ManagementFactory.getRuntimeMXBean().getName()
                + "#" + Integer.toHexString(System.identityHashCode(this)));
        ModelScores scores = new ModelScores();
        // Membership changes, timers and positions are written behind the engine, one group commit
        // at a time, on their own thread (docs/SEGMENTS.md "Durability"); listeners run there too.
        MembershipWriter writer = new MembershipWriter(memberships, timers, writerThread, 100_000);
        this.engine = new SegmentEngine(profiles, writer, timers, scores, clock, 200_000);
        this.registry = new SegmentRegistry(definitions, memberships, engine, profiles, clock, backfills);
        registry.start();
        // Before the log is delivered: memberships behind the profile store (a crash between a
        // profile commit and its segment writes) are re-evaluated first, in the background. Not in
        // a cluster: there a node owns only some partitions, and PartitionHandover repairs each one
        // when it is assigned (re-evaluating all here would write memberships of profiles that
        // another node is applying events to at the same time).
        if (!clusterMode(settings)) {
            backfills.execute(new MembershipRecovery(profiles, memberships, engine));
        }
        profileEngine.addListener(engine);
        io.tessera.segment.InProcessMembershipChanges local = new io.tessera.segment.InProcessMembershipChanges();
        engine.addListener(local);
        this.changes = local;
        // after the engine: a purchase is rescored once the engine holds the event's state
        this.scoring = new ModelScoring(profiles, scores, engine, clock, scoringSettings(settings));
        profileEngine.addListener(scoring);
        this.scoreJobs = new ScoreSchedule(scoring, settings);
        this.timerRunner = new WindowTimerRunner(engine, SegmentEngine.TIMER_PERIOD, () -> ownership.owned().get());
        this.routes = new SegmentRoutes(registry, engine, memberships, profiles);
    }

    /**
     * In the cluster: file each window timer under its profile's partition and fire only the owned
     * partitions' timers; bring a newly assigned partition's memberships level with its profiles
     * ({@link PartitionHandover}).
     */
    public void partition(io.tessera.server.cluster.PartitionOwnership ownership) {
        partition(ownership, java.util.Optional.empty(), 1);
    }

    /**
     * As {@link #partition(io.tessera.server.cluster.PartitionOwnership)}, and with a backfill ledger
     * (PostgreSQL) a saved segment is backfilled by each partition's owner
     * ({@link io.tessera.segment.PartitionBackfills}) instead of by the node that saved it. Call
     * before the listener that releases the owner epochs is registered.
     *
     * @param partitions how many log partitions there are
     */
    public void partition(io.tessera.server.cluster.PartitionOwnership ownership,
                          java.util.Optional<io.tessera.segment.BackfillLedger> ledger, int partitions) {
        this.ownership = ownership;
        engine.partitionTimersBy(ownership.partitionOf());
        if (ownership != io.tessera.server.cluster.PartitionOwnership.SINGLE) {
            profileEngine.addListener(new io.tessera.segment.PartitionHandover(profiles, memberships, engine, ownership.partitionOf()));
            ledger.ifPresent(l -> {
                var byPartition = new io.tessera.segment.PartitionBackfills(profiles, engine, l, partitions,
                        () -> ownership.owned().get().orElse(java.util.Set.of()), ownership.partitionOf(), backfills, node);
                registry.backfillByPartition(byPartition);
                profileEngine.addListener(byPartition);
            });
        }
    }

    /** Durable membership changes for consumers (triggered campaigns): subscribe here, not on the engine. */
    public io.tessera.segment.MembershipChangeStream changes() {
        return changes;
    }

    /**
     * In the cluster: consumers read changes from the segment-changes topic; this node's engine
     * wakes the relay when its changes are durable. Call before anything subscribes.
     */
    public void changes(io.tessera.log.kafka.KafkaMembershipChanges clusterStream) {
        engine.addListener(clusterStream.wakeOnChanges());
        this.changes = clusterStream;
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

    private static boolean clusterMode(java.util.function.Function<String, java.util.Optional<String>> settings) {
        return settings.apply("mode").map(m -> m.strip().equalsIgnoreCase("cluster")).orElse(false);
    }

    private static ModelScoring.Settings scoringSettings(java.util.function.Function<String, java.util.Optional<String>> settings) {
        ModelScoring.Settings d = ModelScoring.Settings.defaults();
        Duration unit = settings.apply("segments.predict.timeUnit").map(u -> switch (u.trim()) {
            case "day" -> Duration.ofDays(1);
            case "week" -> Duration.ofDays(7);
            case "month" -> Duration.ofDays(30);
            default -> throw new IllegalArgumentException("segments.predict.timeUnit must be day, week or month, was " + u);
        }).orElse(d.unit());
        return new ModelScoring.Settings(
                settings.apply("segments.scores.purchaseEvent").orElse(d.purchaseEvent()),
                settings.apply("segments.scores.valueProperty").orElse(d.valueProperty()),
                unit,
                settings.apply("segments.predict.horizon").map(Double::parseDouble).orElse(d.horizon()));
    }

    /** Scores: the incremental listener and the scheduled refreshes. */
    public ModelScoring scoring() {
        return scoring;
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
        scoreJobs.close();
        backfills.shutdownNow();
        engine.awaitWritten();
        writerThread.shutdown();
        if (ownsStores) {
            memberships.close();
            timers.close();
            definitions.close();
        }
    }
}
