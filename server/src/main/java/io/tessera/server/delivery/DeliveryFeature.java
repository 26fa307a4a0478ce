package io.tessera.server.delivery;

import io.javalin.config.JavalinConfig;
import io.tessera.content.EmailTemplate;
import io.tessera.content.RenderErrors;
import io.tessera.content.lint.EmailLint;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignStore;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.dispatch.TriggeredSends;
import io.tessera.delivery.mime.DkimSigner;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.outbox.OutboxMailer;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.delivery.tracking.SignedTrackingLinks;
import io.tessera.ingest.Ingestor;
import io.tessera.profile.ProfileStore;
import io.tessera.server.TesseraConfig;
import io.tessera.server.segment.SegmentFeature;
import io.tessera.server.tracking.TrackingRoutes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Campaigns and delivery as the composition root sees them: the SQLite ledger, suppression list,
 * outbox, campaign store and trigger queue; the mailer (the outbox unless {@code smtp.host} is
 * set); the content stage's renderer and the segments' memberships behind delivery's ports;
 * signed tracking links on {@code public.url}; the dispatcher, triggered sends and the routes
 * ({@code /api/v1/campaigns}, {@code /api/v1/outbox}, {@code /t/*}).
 *
 * <p>Construction reconciles the send ledger left by a previous process (at most once across
 * crashes); {@link #start} resumes the campaign runs that process left unfinished and starts the
 * triggered-send poller; {@link #close} stops everything.
 *
 * <p>Settings: {@code public.url} (default {@code http://<listen host or localhost>:<port>}), {@code tracking.link-ttl}
 * (365 days; tracking tokens come from the signing key ring, {@code tracking.key} only verifies
 * links of the old format), {@code delivery.workers} (4), {@code delivery.prerender-window} (16 messages per
 * worker), {@code delivery.max-staleness} (2 s),
 * {@code delivery.message-id-domain} (the public URL's host), {@code smtp.*} (see
 * {@link DeliverySettings}), {@code dkim.domain}, {@code dkim.selector}, {@code dkim.key-file}
 * (PKCS#8 PEM).
 */
public final class DeliveryFeature implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryFeature.class);

    private final io.tessera.delivery.SendLedger ledger;
    private final io.tessera.delivery.SuppressionList suppressions;
    private final io.tessera.delivery.Outbox outbox;
    private final io.tessera.delivery.campaign.CampaignStore campaigns;
    private final io.tessera.delivery.campaign.TriggerQueue triggerQueue;
    private final io.tessera.delivery.campaign.CampaignRuns runs;
    private final io.tessera.content.TemplateStore templates;
    private final Mailer mailer;
    private final boolean smtp;
    private final SignedTrackingLinks links;
    private final CampaignDispatcher dispatcher;
    private final TriggeredSends triggers;
    private final CampaignRoutes campaignRoutes;
    private final TrackingRoutes trackingRoutes;
    private final SuppressionRoutes suppressionRoutes;
    private final String publicUrlSetting;
    private final String listenHost;
    private final MembershipSegmentMembers members;
    /** Cluster mode: the send-jobs queue this node consumes, and how it tells the others a campaign changed. */
    private volatile Optional<io.tessera.server.cluster.ClusterStreams> cluster = Optional.empty();

    /**
     * @param stores         where the ledger, suppressions, outbox, campaigns, campaign runs, trigger
     *                       queue and templates live (the caller owns and closes them)
     * @param tokens         the signer of tracking links (the one key ring of every signed URL)
     * @param legacy         given the link lifetime, the verifier of links in the pre-unification format, if any were issued
     * @param port           the HTTP port once listening (for the default public URL)
     * @param openTime       open-time links and AMP part added to each rendered message
     */
    public DeliveryFeature(io.tessera.server.Stores stores, TesseraConfig config, ProfileStore profiles, Ingestor ingestor,
                           SegmentFeature segments, io.tessera.tracking.TrackingToken tokens,
                           java.util.function.Function<Duration, Optional<io.tessera.delivery.tracking.LegacyLinks>> legacy,
                           IntSupplier port, InstantSource clock, io.tessera.server.opentime.OpenTimeParts openTime) {
        this.ledger = stores.sendLedger();
        this.suppressions = stores.suppressions();
        this.outbox = stores.outbox();
        this.campaigns = stores.campaigns();
        this.triggerQueue = stores.triggerQueue();
        this.runs = stores.campaignRuns();
        this.templates = stores.templates();
        this.publicUrlSetting = config.setting("public.url").filter(u -> !u.isBlank()).orElse("");
        this.listenHost = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
        MimeAssembler assembler = new MimeAssembler(clock, dkim(config));
        Optional<SmtpSettings> relay = DeliverySettings.smtp(config);
        this.smtp = relay.isPresent();
        this.mailer = relay.<Mailer>map(s -> new SmtpMailer(s, assembler)).orElseGet(() -> new OutboxMailer(outbox, assembler, clock));
        Duration linkTtl = config.setting("tracking.link-ttl").map(io.tessera.server.ConfigLoader::duration).orElse(Duration.ofDays(365));
        this.links = new SignedTrackingLinks(() -> publicUrl(port.getAsInt()), tokens, linkTtl, clock, legacy.apply(linkTtl));
        String messageIdDomain = config.setting("delivery.message-id-domain").filter(d -> !d.isBlank())
                .orElseGet(() -> hostOf(publicUrlSetting).orElse("tessera.local"));
        int workers = Integer.parseInt(config.setting("delivery.workers").orElse("4").strip());
        MembershipSegmentMembers members = new MembershipSegmentMembers(segments.memberships());
        this.dispatcher = new CampaignDispatcher(ledger, suppressions, mailer,
                new ContentMessageRenderer(templates, clock, new RenderErrors(), openTime), profiles::get,
                members, links, clock, messageIdDomain, workers, 3,
                Duration.ofSeconds(2), new ProfileBounceEvents(ingestor, profiles), new CampaignDispatcher.Prerender(
                        Integer.parseInt(config.setting("delivery.prerender-window").orElse("16").strip()),
                        config.setting("delivery.max-staleness").map(io.tessera.server.ConfigLoader::duration)
                                .orElse(Duration.ofSeconds(2))));
        this.triggers = new TriggeredSends(campaigns, triggerQueue, dispatcher, clock);
        segments.changes().subscribe("triggers", triggers);
        this.members = members;
        this.campaignRoutes = new CampaignRoutes(campaigns, dispatcher, ledger, smtp ? Optional.empty() : Optional.of(outbox),
                profiles, clock, this::templateProblems, this::campaignSaved, runs, members, triggerQueue::pending);
        this.trackingRoutes = new TrackingRoutes(links, ingestor, profiles, suppressions, clock,
                key -> campaigns.get(key).flatMap(Campaign::topic));
        this.suppressionRoutes = new SuppressionRoutes(suppressions, clock);
    }

    /**
     * Cluster mode: campaign runs become send jobs on the shared queue (this node takes its share
     * once {@link #start}ed), and a saved campaign is announced to the other nodes.
     */
    public void cluster(io.tessera.server.cluster.ClusterStreams streams) {
        this.cluster = Optional.of(streams);
        campaignRoutes.queueRuns(streams.sendJobs(), members);
    }

    /** Another node changed the campaigns: re-read the trigger index. */
    public void campaignsChanged() {
        triggers.refresh();
    }

    private void campaignSaved() {
        triggers.refresh();
        cluster.ifPresent(c -> c.campaignsChanged("campaigns"));
    }

    /**
     * One send job from the shared queue: the campaign's current definition through the dispatcher.
     * A paused campaign's jobs wait (held by the queue, offered again every few seconds); a
     * cancelled campaign's are dropped.
     */
    private io.tessera.delivery.campaign.SendOutcome sendJob(io.tessera.delivery.campaign.SendJob job) {
        switch (campaignRoutes.controls().state(job.campaign())) {
            case PAUSED -> {
                return new io.tessera.delivery.campaign.SendOutcome.Deferred("paused", java.time.Instant.now().plusSeconds(5));
            }
            case CANCELLED -> {
                return new io.tessera.delivery.campaign.SendOutcome.Skipped("cancelled");
            }
            case ACTIVE -> { }
        }
        return campaigns.get(job.campaign()).filter(c -> c.trigger().isEmpty())
                .map(c -> dispatcher.sendOne(c, job.scope(), job.profileId(), job.due()))
                .orElseGet(() -> new io.tessera.delivery.campaign.SendOutcome.Skipped("no_campaign"));
    }

    public void register(JavalinConfig config) {
        campaignRoutes.register(config);
        trackingRoutes.register(config);
        suppressionRoutes.register(config.routes);
    }

    /**
     * Reconciles the send ledger (embedded mode only), resumes campaign runs a previous process left
     * unfinished and starts sending triggered campaigns' due entries. In a cluster the ledger is
     * shared: a starting node must not release the claims other live nodes are sending under, so
     * a claim left by a killed node stays unsent (at most once) and is listed by
     * {@code SendLedger.unconfirmed} for the operator (docs/SCALE-OUT.md).
     */
    public void start() {
        if (cluster.isEmpty()) {
            CampaignDispatcher.Reconciliation r = dispatcher.reconcileAll();
            if (r.released() + r.verified() + r.assumed() > 0) {
                LOG.info("send ledger reconciled after restart: {} released, {} verified, {} assumed sent",
                        r.released(), r.verified(), r.assumed());
            }
        }
        campaignRoutes.resumeRuns();
        triggers.start();
        cluster.ifPresent(c -> c.sendJobs().consume(this::sendJob));
    }

    /** The demo's segment, campaign and send to the outbox, printing what came out. */
    public void runDemo(SegmentFeature segments, int port, java.io.PrintStream out) throws InterruptedException {
        DemoCampaign.run(this, segments.registry(), publicUrl(port), out);
    }

    /** Why a campaign may not use this template version: missing, or fails the fallback-coverage lint. */
    List<String> templateProblems(Campaign.TemplateRef ref) {
        Optional<EmailTemplate> t = ref.version().isPresent() ? templates.version(ref.key(), ref.version().get())
                : templates.latest(ref.key());
        if (t.isEmpty()) {
            return List.of("no template " + ref.key() + ref.version().map(v -> " version " + v).orElse(""));
        }
        return EmailLint.fallbackCoverage(t.get()).stream()
                .map(f -> ref.key() + "@" + t.get().version() + ": " + f.message()).toList();
    }

    /** The send ledger, for features that attribute outcomes to sends (bounces, complaints). */
    public io.tessera.delivery.SendLedger ledger() {
        return ledger;
    }

    /** The suppression list every send checks. */
    public io.tessera.delivery.SuppressionList suppressions() {
        return suppressions;
    }

    CampaignStore campaigns() {
        return campaigns;
    }

    CampaignDispatcher dispatcher() {
        return dispatcher;
    }

    io.tessera.delivery.Outbox outbox() {
        return outbox;
    }

    TriggeredSends triggers() {
        return triggers;
    }

    String publicUrl(int port) {
        String u = publicUrlSetting.isEmpty() ? "http://" + listenHost + ":" + port : publicUrlSetting;
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static Optional<String> hostOf(String url) {
        try {
            return url.isEmpty() ? Optional.empty() : Optional.ofNullable(java.net.URI.create(url).getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<DkimSigner> dkim(TesseraConfig config) {
        Optional<String> file = config.setting("dkim.key-file").filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String domain = config.setting("dkim.domain").orElseThrow(() -> new IllegalArgumentException("dkim.key-file needs dkim.domain"));
        String selector = config.setting("dkim.selector").orElse("tessera");
        try {
            String pem = java.nio.file.Files.readString(java.nio.file.Path.of(file.get()));
            byte[] der = java.util.Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            var key = java.security.KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
            return Optional.of(new DkimSigner(domain, selector, key));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("dkim.key-file " + file.get() + " is not a readable PKCS#8 RSA key: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        triggers.close();
        campaignRoutes.close();
        dispatcher.close();
        mailer.close();
    }
}
