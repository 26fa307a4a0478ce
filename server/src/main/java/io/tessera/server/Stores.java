package io.tessera.server;

import io.tessera.content.TemplateStore;
import io.tessera.delivery.Outbox;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.SuppressionList;
import io.tessera.delivery.campaign.CampaignRuns;
import io.tessera.delivery.campaign.CampaignStore;
import io.tessera.delivery.campaign.TriggerQueue;
import io.tessera.ingest.hook.HookSourceStore;
import io.tessera.ingest.pull.PullStore;
import io.tessera.ingest.watermark.ImportWatermarkStore;
import io.tessera.profile.ProfileStore;
import io.tessera.quality.DataDictionary;
import io.tessera.quality.QualitySettingsStore;
import io.tessera.quality.QuarantineStore;
import io.tessera.quality.TrackingPlanStore;
import io.tessera.quality.dedupe.DedupeReviewQueue;
import io.tessera.segment.MembershipStore;
import io.tessera.segment.SegmentDefinitionStore;
import io.tessera.segment.WindowTimerStore;
import io.tessera.server.cluster.ClusterUnavailableException;
import io.tessera.server.cluster.Deployment;
import io.tessera.store.postgres.PostgresCampaignRuns;
import io.tessera.store.postgres.PostgresCampaignStore;
import io.tessera.store.postgres.PostgresDataDictionary;
import io.tessera.store.postgres.PostgresDatabase;
import io.tessera.store.postgres.PostgresDedupeReviewQueue;
import io.tessera.store.postgres.PostgresHookSourceStore;
import io.tessera.store.postgres.PostgresImportWatermarkStore;
import io.tessera.store.postgres.PostgresMembershipStore;
import io.tessera.store.postgres.PostgresOutbox;
import io.tessera.store.postgres.PostgresProfileStore;
import io.tessera.store.postgres.PostgresPullStore;
import io.tessera.store.postgres.PostgresQualitySettingsStore;
import io.tessera.store.postgres.PostgresQuarantineStore;
import io.tessera.store.postgres.PostgresSegmentDefinitionStore;
import io.tessera.store.postgres.PostgresSendLedger;
import io.tessera.store.postgres.PostgresSuppressionList;
import io.tessera.store.postgres.PostgresTemplateStore;
import io.tessera.store.postgres.PostgresTriggerQueue;
import io.tessera.store.postgres.PostgresTrackingPlanStore;
import io.tessera.store.postgres.PostgresWindowTimerStore;
import io.tessera.store.sqlite.SqliteCampaignRuns;
import io.tessera.store.sqlite.SqliteCampaignStore;
import io.tessera.store.sqlite.SqliteDataDictionary;
import io.tessera.store.sqlite.SqliteDedupeReviewQueue;
import io.tessera.store.sqlite.SqliteHookSourceStore;
import io.tessera.store.sqlite.SqliteImportWatermarkStore;
import io.tessera.store.sqlite.SqliteMembershipStore;
import io.tessera.store.sqlite.SqliteOutbox;
import io.tessera.store.sqlite.SqliteProfileStore;
import io.tessera.store.sqlite.SqlitePullStore;
import io.tessera.store.sqlite.SqliteQualitySettingsStore;
import io.tessera.store.sqlite.SqliteQuarantineStore;
import io.tessera.store.sqlite.SqliteSegmentDefinitionStore;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.store.sqlite.SqliteTemplateStore;
import io.tessera.store.sqlite.SqliteTriggerQueue;
import io.tessera.store.sqlite.SqliteTrackingPlanStore;
import io.tessera.store.sqlite.SqliteWindowTimerStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every store port of a node, backed by the deployment's technology: SQLite in the data directory
 * ({@code tessera.db}) in embedded mode, or one shared PostgreSQL in cluster mode (one
 * {@link PostgresDatabase} — one HikariCP pool, the schema migrated by Flyway on open — behind all
 * {@code Postgres*} adapters). The composition root asks for each port here and never names an
 * adapter class, so the mode is configuration, not code.
 *
 * <p>Each store is created on first request and then shared; {@link #close} closes those created, in
 * reverse order, then the PostgreSQL pool. Thread-safe.
 */
public final class Stores implements AutoCloseable {
    private final Optional<PostgresDatabase> postgres;
    private final Path sqliteFile;
    private final Map<Class<?>, Object> open = new LinkedHashMap<>();

    private Stores(Optional<PostgresDatabase> postgres, Path sqliteFile) {
        this.postgres = postgres;
        this.sqliteFile = sqliteFile;
    }

    /**
     * Opens the stores of {@code deployment}. In cluster mode this connects to PostgreSQL and
     * migrates its schema, and throws {@link ClusterUnavailableException} (naming the URL and the
     * setting) when it cannot.
     */
    public static Stores open(Deployment deployment, Path dataDir) {
        Path file = dataDir.resolve("tessera.db");
        if (deployment.postgres().isEmpty()) {
            return new Stores(Optional.empty(), file);
        }
        deployment.checkPostgres();
        try {
            return new Stores(Optional.of(PostgresDatabase.open(deployment.postgres().get())), file);
        } catch (IllegalStateException e) {
            throw new ClusterUnavailableException("mode: cluster, but " + e.getMessage()
                    + " (settings postgres.url / TESSERA_POSTGRES_URL, postgres.user, postgres.password)", e);
        }
    }

    /** Whether the ports are backed by PostgreSQL. */
    public boolean shared() {
        return postgres.isPresent();
    }

    /** One round trip to the database the stores live in (PostgreSQL); nothing to check for SQLite. */
    public void check() {
        postgres.ifPresent(PostgresDatabase::check);
    }

    public ProfileStore profiles() {
        return store(ProfileStore.class, SqliteProfileStore::new, db -> new PostgresProfileStore(db, epochs()));
    }

    public QuarantineStore quarantine() {
        return store(QuarantineStore.class, SqliteQuarantineStore::new, PostgresQuarantineStore::new);
    }

    public TrackingPlanStore trackingPlans() {
        return store(TrackingPlanStore.class, SqliteTrackingPlanStore::new, PostgresTrackingPlanStore::new);
    }

    public DataDictionary dictionary() {
        return store(DataDictionary.class, SqliteDataDictionary::new, PostgresDataDictionary::new);
    }

    public QualitySettingsStore qualitySettings() {
        return store(QualitySettingsStore.class, SqliteQualitySettingsStore::new, PostgresQualitySettingsStore::new);
    }

    public MembershipStore memberships() {
        return store(MembershipStore.class, SqliteMembershipStore::new, db -> new PostgresMembershipStore(db, epochs()));
    }

    /**
     * The node's owner epochs (PostgreSQL only): claimed as the log assigns partitions
     * ({@code cluster.PartitionClaims}); the membership and timer stores check them on every write.
     */
    public Optional<io.tessera.store.postgres.PostgresOwnerEpochs> ownerEpochs() {
        return postgres.map(db -> epochs());
    }

    /** Which partitions of each segment backfill are done (PostgreSQL only: the cluster's backfills by partition owner). */
    public Optional<io.tessera.segment.BackfillLedger> backfillLedger() {
        return postgres.map(db -> store(io.tessera.store.postgres.PostgresBackfillLedger.class, file -> {
            throw new IllegalStateException("the backfill ledger exists only in PostgreSQL");
        }, io.tessera.store.postgres.PostgresBackfillLedger::new));
    }

    /** Deletes old profile history in batches (PostgreSQL only; the embedded store keeps all history). */
    public Optional<io.tessera.store.postgres.PostgresHistoryRetention> historyRetention() {
        return postgres.map(io.tessera.store.postgres.PostgresHistoryRetention::new);
    }

    private io.tessera.store.postgres.PostgresOwnerEpochs epochs() {
        return store(io.tessera.store.postgres.PostgresOwnerEpochs.class, file -> {
            throw new IllegalStateException("owner epochs exist only in PostgreSQL");
        }, io.tessera.store.postgres.PostgresOwnerEpochs::new);
    }

    public WindowTimerStore windowTimers() {
        return store(WindowTimerStore.class, SqliteWindowTimerStore::new, db -> new PostgresWindowTimerStore(db, epochs()));
    }

    public SegmentDefinitionStore segmentDefinitions() {
        return store(SegmentDefinitionStore.class, SqliteSegmentDefinitionStore::new, PostgresSegmentDefinitionStore::new);
    }

    public TemplateStore templates() {
        return store(TemplateStore.class, SqliteTemplateStore::new, PostgresTemplateStore::new);
    }

    public CampaignStore campaigns() {
        return store(CampaignStore.class, SqliteCampaignStore::new, PostgresCampaignStore::new);
    }

    public SendLedger sendLedger() {
        return store(SendLedger.class, SqliteSendLedger::new, PostgresSendLedger::new);
    }

    public Outbox outbox() {
        return store(Outbox.class, SqliteOutbox::new, PostgresOutbox::new);
    }

    public SuppressionList suppressions() {
        return store(SuppressionList.class, SqliteSuppressionList::new, PostgresSuppressionList::new);
    }

    public HookSourceStore hookSources() {
        return store(HookSourceStore.class, SqliteHookSourceStore::new, PostgresHookSourceStore::new);
    }

    public PullStore pulls() {
        return store(PullStore.class, SqlitePullStore::new, PostgresPullStore::new);
    }

    public ImportWatermarkStore importWatermarks() {
        return store(ImportWatermarkStore.class, SqliteImportWatermarkStore::new, PostgresImportWatermarkStore::new);
    }

    public io.tessera.webhook.WebhookStore webhooks() {
        return store(io.tessera.webhook.WebhookStore.class, io.tessera.store.sqlite.SqliteWebhookStore::new,
                io.tessera.store.postgres.PostgresWebhookStore::new);
    }

    public io.tessera.content.BlockStore blocks() {
        return store(io.tessera.content.BlockStore.class, io.tessera.store.sqlite.SqliteBlockStore::new,
                io.tessera.store.postgres.PostgresBlockStore::new);
    }

    public TriggerQueue triggerQueue() {
        return store(TriggerQueue.class, SqliteTriggerQueue::new, PostgresTriggerQueue::new);
    }

    public CampaignRuns campaignRuns() {
        return store(CampaignRuns.class, SqliteCampaignRuns::new, PostgresCampaignRuns::new);
    }

    public DedupeReviewQueue dedupeReviews() {
        return store(DedupeReviewQueue.class, SqliteDedupeReviewQueue::new, PostgresDedupeReviewQueue::new);
    }

    private synchronized <T> T store(Class<T> port, Function<Path, ? extends T> sqlite, Function<PostgresDatabase, ? extends T> pg) {
        Supplier<T> create = () -> postgres.<T>map(pg).orElseGet(() -> sqlite.apply(sqliteFile));
        // not computeIfAbsent: creating a store may open another (the owner epochs)
        Object existing = open.get(port);
        if (existing == null) {
            existing = create.get();
            open.put(port, existing);
        }
        return port.cast(existing);
    }

    @Override
    public synchronized void close() {
        List<Object> created = new ArrayList<>(open.values());
        open.clear();
        RuntimeException failure = null;
        for (Object store : created.reversed()) {
            if (store instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IllegalStateException("closing the stores failed", e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        postgres.ifPresent(PostgresDatabase::close);
        if (failure != null) {
            throw failure;
        }
    }
}
