package io.tessera.server;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.event.EventLog;
import io.tessera.ingest.IngestLimits;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.TrackingApiParser;
import io.tessera.log.sqlite.SqliteEventLog;
import io.tessera.profile.ProfileEngine;
import io.tessera.profile.ProfileStore;
import io.tessera.quality.DataDictionary;
import io.tessera.quality.QualitySettingsStore;
import io.tessera.quality.QuarantineStore;
import io.tessera.quality.TrackingPlanStore;
import io.tessera.quality.QualityChecks;
import io.tessera.quality.NormalizationSettings;
import io.tessera.quality.TrackingPlans;
import io.tessera.server.quality.QualityConfig;
import io.tessera.server.quality.QualityRoutes;
import io.tessera.quality.DictionaryBuilder;
import io.tessera.server.ingest.IngestRoutes;
import io.tessera.server.ops.OperationsRoutes;
import io.tessera.server.profile.ProfileRoutes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: every long-lived object of a Tessera node is built here, by plain
 * constructors, in data-flow order; reading this class tells what runs. Features register their
 * HTTP routes in {@link #routes} with one line each.
 *
 * <p>Lifecycle: construct (opens storage), {@link #start} (the profile engine consumes the log, the
 * HTTP server listens), {@link #close} (graceful: refuse new writes, drain in-flight appends, stop
 * HTTP, stop consuming, close the log and the stores). The CLI's offline commands use
 * {@link #startProcessing} without HTTP.
 *
 * <p>Threading: start and close are called by one thread (main or the shutdown hook); everything
 * built here is thread-safe or confined as its own class comment says.
 */
public final class Tessera implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tessera.class);

    private final TesseraConfig config;
    private final InstantSource clock = InstantSource.system();
    private final Json json = new Json();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DrainGate gate = new DrainGate();

    private final EventLog log;
    private final Stores stores;
    private final ProfileStore profiles;
    private final QuarantineStore quarantine;
    private final QualityChecks quality;
    private final TrackingPlanStore planStore;
    private final DataDictionary dictionary;
    private EventLog.Subscription dictionarySubscription;
    private final TrackingPlans plans;
    private final QualitySettingsStore settingsStore;
    private final NormalizationSettings settings;
    private final io.tessera.quality.dedupe.DedupeReviewQueue reviewQueue;
    private final io.tessera.quality.dedupe.ProfileDedupe dedupe;
    private final ProfileEngine engine;
    private final Ingestor ingestor;
    private final io.tessera.server.segment.SegmentFeature segments;
    private final io.tessera.server.webhook.WebhookFeature webhooks;
    private final io.tessera.server.delivery.DeliveryFeature delivery;
    private final io.tessera.server.delivery.BounceFeature bounces;
    private final io.tessera.tracking.TrackingToken tokens;
    private final io.tessera.server.opentime.OpenTimeFeature openTime;
    private EventLog.Subscription openTimeSubscription;
    private final io.tessera.server.sync.PullFeature pulls;
    private final java.util.Optional<io.tessera.server.sync.cdc.PostgresCdc> cdc;
    private final java.util.Optional<io.tessera.server.cluster.ClusterStreams> streams;

    private EventLog.Subscription subscription;
    private java.util.Optional<io.tessera.server.profile.HistoryRetention> historyRetention = java.util.Optional.empty();
    private Javalin http;
    private boolean closed;

    /** Opens the storage in the data directory; generates secrets there if the config has none. */
    public Tessera(TesseraConfig configured) {
        this.config = SecretsFile.complete(configured);
        var deployment = io.tessera.server.cluster.Deployment.of(config::setting);
        this.stores = Stores.open(deployment, config.dataDir());
        this.log = deployment.openLog(config.dataDir());
        this.profiles = stores.profiles();
        this.quarantine = stores.quarantine();
        this.engine = new ProfileEngine(profiles, clock, io.tessera.server.profile.ProfileConfig.options(config::setting),
                io.tessera.server.cluster.ProfileRouting.partitions(log));
        stores.ownerEpochs().ifPresent(e -> io.tessera.server.cluster.PartitionClaims.claimFirst(engine, e));
        this.streams = io.tessera.server.cluster.ClusterStreams.open(deployment, config::setting, stores.memberships(), clock);
        this.segments = new io.tessera.server.segment.SegmentFeature(stores.memberships(), stores.windowTimers(),
                streams.map(s -> s.announcing(stores.segmentDefinitions())).orElseGet(stores::segmentDefinitions),
                profiles, engine, clock, config::setting);
        streams.ifPresent(s -> segments.changes(s.changes()));
        segments.partition(io.tessera.server.cluster.PartitionOwnership.of(log, engine), stores.backfillLedger(),
                io.tessera.server.cluster.ProfileRouting.partitions(log).count());
        stores.ownerEpochs().ifPresent(e -> io.tessera.server.cluster.PartitionClaims.releaseLast(engine, e));
        this.webhooks = new io.tessera.server.webhook.WebhookFeature(stores.webhooks(), java.util.List.of(new io.tessera.webhook.MembershipWebhookSource(segments.memberships())), clock, config::setting);
        this.quality = new QualityChecks(QualityConfig.rules(config::setting));
        this.planStore = stores.trackingPlans();
        this.dictionary = stores.dictionary();
        this.plans = new TrackingPlans(planStore, quality);
        this.settingsStore = stores.qualitySettings();
        this.settings = new NormalizationSettings(settingsStore, quality);
        this.reviewQueue = stores.dedupeReviews();
        this.dedupe = new io.tessera.quality.dedupe.ProfileDedupe(profiles, log, reviewQueue, clock,
                io.tessera.server.profile.ProfileConfig.options(config::setting).mergeDifferentUserIds());
        TesseraConfig.Ingest i = config.ingest();
        TrackingApiParser parser = new TrackingApiParser(
                new IngestLimits(i.maxEventBytes(), i.maxBatchBytes(), i.maxBatchEvents(), i.maxFutureSkew(), i.maxDepth()),
                clock, () -> UUID.randomUUID().toString());
        this.ingestor = new Ingestor(parser, quality, log, quarantine, clock, io.tessera.server.cluster.ProfileRouting.keys(log, profiles, clock));
        this.tokens = new io.tessera.tracking.TrackingToken(SigningKeyRing.load(config), clock);
        this.openTime = new io.tessera.server.opentime.OpenTimeFeature(config::setting, ConfigLoader::duration, profiles,
                id -> segments.membershipsOf(id).stream().map(m -> String.valueOf(m.get("key"))).collect(java.util.stream.Collectors.toSet()),
                tokens, clock, metrics);
        this.delivery = new io.tessera.server.delivery.DeliveryFeature(stores, config, profiles, ingestor, segments,
                tokens, linkTtl -> SigningKeyRing.legacyLinks(config, linkTtl, clock.instant()),
                () -> http == null ? config.port() : http.port(), clock,
                openTime.parts(this::publicUrl, clock));
        streams.ifPresent(delivery::cluster);
        this.bounces = new io.tessera.server.delivery.BounceFeature(config, ingestor, profiles, clock);
        this.pulls = new io.tessera.server.sync.PullFeature(stores.pulls(), ingestor, clock, json);
        this.cdc = io.tessera.server.sync.cdc.CdcSource.fromSettings(config::setting).map(s -> new io.tessera.server.sync.cdc.PostgresCdc(s, ingestor));
        if (log instanceof SqliteEventLog embedded) {
            Gauge.builder("tessera.log.queue.depth", embedded, SqliteEventLog::queuedAppends)
                    .description("appends waiting for the group commit").register(metrics);
        }
    }

    /** Registers every feature's routes; one line per feature. */
    private void routes(io.javalin.config.JavalinConfig cfg, ErrorMapper errors) {
        var routes = cfg.routes;
        errors.register(routes);
        AdminAuth admin = new AdminAuth(config.adminToken().orElseThrow());
        routes.before("/api/*", admin::check);
        new OperationsRoutes(metrics, gate, () -> !closed, errors).register(routes);
        new io.tessera.server.ops.OpenApiRoutes(() -> http).register(routes);
        new io.tessera.server.ops.ConsoleRoutes().register(routes);
        new IngestRoutes(ingestor, config.writeKeys(), gate, metrics, json).register(routes);
        new io.tessera.server.ingest.SnippetRoutes().register(routes);
        bounces.register(routes); // before /hooks/{source}: Javalin matches in registration order
        new io.tessera.server.ingest.HookRoutes(stores.hookSources(), ingestor, clock, gate, metrics, json).register(routes);
        new ProfileRoutes(profiles, engine, log, quarantine, segments::membershipsOf).register(routes);
        new io.tessera.server.profile.MergeRoutes(profiles, engine, streams.map(s -> s::requestReversal)).register(routes);
        new io.tessera.server.quality.DedupeRoutes(dedupe).register(routes);
        new QualityRoutes(plans, quality, quarantine, log, dictionary, settings).register(cfg);
        segments.register(cfg);
        webhooks.register(cfg);
        delivery.register(cfg);
        openTime.register(routes);
        pulls.register(routes);
        new io.tessera.server.delivery.SubscriptionRoutes(ingestor, profiles, clock).register(routes);
        new io.tessera.server.content.TemplateRoutes(stores.templates(), java.util.Optional.of(stores.blocks()), profiles, clock, java.util.Optional.empty(), new io.tessera.content.RenderErrors(), io.tessera.server.content.BundledCanIEmail.load()).register(routes);
    }

    /**
     * Starts consuming the log into profiles (no HTTP); for offline CLI commands. The setting
     * {@code profiles.enabled=false} leaves this node ingest-only (the log still takes every event;
     * another node, or a later start, applies them): used by bench/ingest.sh to measure ingestion alone.
     */
    public synchronized Tessera startProcessing() {
        if (subscription == null && !config.setting("profiles.enabled").map("false"::equalsIgnoreCase).orElse(false)) {
            subscription = log.subscribe(engine);
            dictionarySubscription = log.subscribe(new DictionaryBuilder(dictionary));
            openTimeSubscription = log.subscribe(openTime.logReader());
            Gauge.builder("tessera.profiles.lag", subscription, EventLog.Subscription::lag)
                    .description("events appended but not yet applied to profiles").register(metrics);
        }
        return this;
    }

    /** Starts processing and the HTTP server. */
    public synchronized Tessera start() {
        startProcessing();
        ErrorMapper errors = new ErrorMapper(json);
        http = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.http.maxRequestSize = Math.max(4L * 1024 * 1024, 2L * config.ingest().maxBatchBytes());
            cfg.jsonMapper(json);
            cfg.requestLogger.http(new io.tessera.server.ops.RequestTimers(metrics)::record);
            routes(cfg, errors);
        });
        http.start();
        streams.ifPresent(s -> s.start(segments.registry()::refresh, delivery::campaignsChanged,
                (profileId, mergeId) -> io.tessera.server.profile.MergeRoutes.reverseIfOwner(engine, profileId, mergeId)));
        delivery.start();
        pulls.start();
        cdc.ifPresent(io.tessera.server.sync.cdc.PostgresCdc::start);
        historyRetention = io.tessera.server.profile.HistoryRetention.start(stores.historyRetention(), config::setting, clock);
        LOG.atInfo().setMessage("Tessera listening").addKeyValue("port", http.port())
                .addKeyValue("dataDir", config.dataDir().toAbsolutePath()).log();
        return this;
    }


    public int port() {
        return http.port();
    }

    public TesseraConfig config() {
        return config;
    }

    public io.tessera.server.delivery.DeliveryFeature delivery() {
        return delivery;
    }

    public io.tessera.server.segment.SegmentFeature segments() {
        return segments;
    }

    public Ingestor ingestor() {
        return ingestor;
    }

    /** Fuzzy duplicates among the stored profiles (the API's and {@code tessera dedupe --profiles}'). */
    public io.tessera.quality.dedupe.ProfileDedupe dedupe() {
        return dedupe;
    }

    public ProfileEngine engine() {
        return engine;
    }

    public ProfileStore profiles() {
        return profiles;
    }

    /** The change-data-capture source, when {@code cdc.url} is configured. */
    public java.util.Optional<io.tessera.server.sync.cdc.PostgresCdc> cdc() {
        return cdc;
    }

    /** Every store port of this node (for the CLI's import, export and sync commands). */
    public Stores stores() {
        return stores;
    }

    public QuarantineStore quarantine() {
        return quarantine;
    }

    /** The signer of every tracking and open-time URL. */
    public io.tessera.tracking.TrackingToken tokens() {
        return tokens;
    }

    public io.tessera.server.opentime.OpenTimeFeature openTime() {
        return openTime;
    }

    /** Blocks until the open-time catalog and interactions have read everything appended so far. */
    public boolean awaitOpenTimeCurrent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openTimeSubscription != null && openTimeSubscription.lag() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public InstantSource clock() {
        return clock;
    }

    /** Where links in mail point: {@code public.url} (or {@code server.public-url}), else this node's local HTTP address. */
    public String publicUrl() {
        return config.setting("public.url").filter(u -> !u.isBlank()).or(() -> config.setting("server.public-url"))
                .orElseGet(() -> "http://localhost:" + (http == null ? config.port() : port()));
    }

    public EventLog log() {
        return log;
    }

    /**
     * Blocks until the profile engine has applied everything appended so far, in every partition
     * (in a cluster: meaningful on a node that owns them all, e.g. a single node or a CLI command).
     */
    public boolean awaitProfilesCurrent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<Integer, Long> last : log.lastOffsets().entrySet()) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (last.getValue() >= 0 && !engine.awaitApplied(last.getKey(), last.getValue(), left)) {
                return false;
            }
        }
        return true;
    }

    /** Graceful: refuse new writes, drain in-flight appends, stop HTTP, stop consuming, close storage. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!gate.close(Duration.ofSeconds(30))) {
                LOG.warn("shutdown: in-flight requests did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pulls.close();
        cdc.ifPresent(io.tessera.server.sync.cdc.PostgresCdc::close);
        historyRetention.ifPresent(io.tessera.server.profile.HistoryRetention::close);
        if (http != null) {
            http.stop();
        }
        if (subscription != null) {
            subscription.close();
            dictionarySubscription.close();
            openTimeSubscription.close();
        }
        openTime.close();
        streams.ifPresent(io.tessera.server.cluster.ClusterStreams::close);
        log.close();
        webhooks.close();
        delivery.close();
        segments.close();
        bounces.close();
        stores.close();
        metrics.close();
        LOG.info("Tessera stopped");
    }
}
