package io.tessera.server.delivery;

import io.javalin.config.RoutesConfig;
import io.tessera.delivery.bounce.BounceMailbox;
import io.tessera.delivery.bounce.BounceRecorder;
import io.tessera.ingest.Ingestor;
import io.tessera.profile.ProfileStore;
import io.tessera.server.TesseraConfig;
import io.tessera.store.sqlite.SqliteHookSourceStore;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Bounces as the composition root sees them: the signed webhook {@code POST /hooks/bounces}, the
 * optional bounce-Maildir poller ({@code bounces.maildir}, {@code bounces.poll-seconds}), and the
 * one {@link BounceRecorder} behind both (suppression list, send ledger, "Email Bounced" events).
 * Its SQLite connections are its own, on the shared {@code tessera.db}: the same tables the
 * campaign dispatcher uses. Register before the generic {@code /hooks/{source}} route: Javalin
 * matches routes in the order they were added. {@link #close} stops the poller and closes storage.
 */
public final class BounceFeature implements AutoCloseable {

    private final SqliteSendLedger ledger;
    private final SqliteSuppressionList suppressions;
    private final SqliteHookSourceStore hookSources;
    private final BounceWebhookRoutes webhook;
    private final Optional<BounceMaildirPoller> poller;

    public BounceFeature(TesseraConfig config, Ingestor ingestor, ProfileStore profiles, InstantSource clock) {
        Path db = config.dataDir().resolve("tessera.db");
        this.ledger = new SqliteSendLedger(db);
        this.suppressions = new SqliteSuppressionList(db);
        this.hookSources = new SqliteHookSourceStore(db);
        BounceRecorder recorder = new BounceRecorder(suppressions, ledger, new ProfileBounceEvents(ingestor, profiles), clock);
        this.webhook = new BounceWebhookRoutes(recorder, () -> hookSources.get("bounces"),
                config.setting("hooks.bounces.secret"), clock);
        int seconds = Integer.parseInt(config.setting("bounces.poll-seconds").orElse("60").strip());
        this.poller = config.setting("bounces.maildir").filter(d -> !d.isBlank()).map(d -> new BounceMaildirPoller(
                new BounceMailbox(recorder, clock), Path.of(d), Duration.ofSeconds(Math.max(1, seconds))));
    }

    /** Registers the webhook and starts the Maildir poller: both belong to a serving node, not to offline CLI commands. */
    public void register(RoutesConfig routes) {
        webhook.register(routes);
        poller.ifPresent(BounceMaildirPoller::start);
    }

    @Override
    public void close() {
        poller.ifPresent(BounceMaildirPoller::close);
        hookSources.close();
        suppressions.close();
        ledger.close();
    }
}
