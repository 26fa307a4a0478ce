package io.tessera.bench.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.tessera.content.EmailTemplate;
import io.tessera.content.RenderErrors;
import io.tessera.delivery.Mailer;
import io.tessera.delivery.OutgoingMessage;
import io.tessera.delivery.SendKey;
import io.tessera.delivery.campaign.MessageIds;
import io.tessera.delivery.campaign.MessageRenderer;
import io.tessera.delivery.tracking.SignedTrackingLinks;
import io.tessera.profile.Profile;
import io.tessera.server.content.TemplateDirectory;
import io.tessera.server.delivery.ContentMessageRenderer;
import io.tessera.store.sqlite.SqliteTemplateStore;
import io.tessera.tracking.TrackingToken;
import java.util.List;
import java.util.Map;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.mime.DkimSigner;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.testkit.SyntheticAudience;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole campaign through the real pipeline into an SMTP sink: SQLite ledger (claim, commit
 * mark, confirm), suppression and consent checks, the real renderer per recipient (the shipped
 * {@code examples/templates/weekly-picks} email through {@link ContentMessageRenderer}: Liquid,
 * escaping, content rules, the recipient's recently viewed products, plain text, final check),
 * signed tracking links and pixel ({@link SignedTrackingLinks}), MIME assembly (+ DKIM when asked),
 * pooled SMTP. Prints messages/s accepted by the relay and memory. Used by bench/delivery.sh.
 *
 * <p>Arguments: recipients host port workers unused dkim(true|false) dataDir
 * (the fifth argument once sized a stand-in message; the message is now the real one)
 */
public final class DeliveryBench {

    public static void main(String[] args) throws Exception {
        int recipients = Integer.parseInt(args[0]);
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        boolean dkim = Boolean.parseBoolean(args[5]);
        Path data = Files.createDirectories(Path.of(args[6]));
        Path db = data.resolve("bench-" + System.nanoTime() + ".db");
        InstantSource clock = InstantSource.system();
        Optional<DkimSigner> signer = Optional.empty();
        if (dkim) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            signer = Optional.of(new DkimSigner("shop.example", "bench", g.generateKeyPair().getPrivate()));
        }
        SyntheticAudience synthetic = new SyntheticAudience(recipients, 50);
        ShopAudience audience = new ShopAudience(synthetic);
        MimeAssembler assembler = new MimeAssembler(clock, signer);
        AtomicLong bytes = new AtomicLong();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            var mem = ManagementFactory.getMemoryMXBean();
            while (true) {
                peakHeap.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        SignedTrackingLinks tracking = new SignedTrackingLinks(() -> "https://t.shop.example", new TrackingToken(List.of(
                new TrackingToken.Key("bench", "bench-tracking-key-0123456789".getBytes(UTF_8))), clock),
                Duration.ofDays(30), clock, Optional.empty());
        SqliteTemplateStore templates = new SqliteTemplateStore(db);
        // PRERENDER_WINDOW in bench/delivery.sh; 1 = claim, render and confirm one recipient at a time
        int window = Integer.getInteger("tessera.bench.prerenderWindow", CampaignDispatcher.Prerender.DEFAULT.window());
        CampaignDispatcher.Prerender prerender = new CampaignDispatcher.Prerender(window,
                CampaignDispatcher.Prerender.DEFAULT.maxStaleness());
        try (SqliteSendLedger ledger = new SqliteSendLedger(db);
             SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             Mailer smtp = new SmtpMailer(SmtpSettings.of(host, port).withPool(workers, workers)
                     .withRetries(3, Duration.ofMillis(50), Duration.ofSeconds(1)), assembler);
             CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions, smtp,
                     new ContentMessageRenderer(templates, clock, new RenderErrors()), audience, audience,
                     tracking, clock, "mail.shop.example", workers, 3, Duration.ofMillis(200),
                     io.tessera.delivery.bounce.BounceEvents.NONE, prerender)) {
            EmailTemplate weeklyPicks = templates.save(TemplateDirectory.load(
                    Path.of(System.getProperty("tessera.examples", "examples/templates"), "weekly-picks"), 1));
            Campaign campaign = Campaign.simple("bench", "everyone", weeklyPicks.key(), "news@shop.example");
            bytes.set(sampleSize(campaign, audience, new ContentMessageRenderer(templates, clock, new RenderErrors()),
                    tracking, assembler));
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            CampaignDispatcher.Report r = dispatcher.run(campaign, "bench");
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuMsPerMsg = (os.getProcessCpuTime() - cpu0) / 1e6 / Math.max(1, r.sent());
            sampler.interrupt();
            System.out.printf("delivery-bench recipients=%d workers=%d prerender_window=%d dkim=%s message_bytes=%d sent=%d bounced=%d skipped=%d "
                            + "later=%d seconds=%.1f msgs_per_s=%.0f cpu_ms_per_msg=%.3f peak_heap_mb=%d max_rss_mb=%d%n",
                    recipients, workers, window, dkim, bytes.get(), r.sent(), r.bounced(), r.skipped(), r.later().size(), secs,
                    r.sent() / secs, cpuMsPerMsg, peakHeap.get() >> 20, maxRssMb());
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(db + suffix));
            }
        }
    }

    /**
     * The size of recipient 1's complete message, rendered and assembled as the campaign sends it
     * (for smtp-source's -l): 8bit parts, since smtp-sink advertises 8BITMIME (quoted-printable
     * made the weekly-picks message 6% larger: 30,152 bytes, 28,374 8bit).
     */
    private static int sampleSize(Campaign campaign, ShopAudience audience, MessageRenderer renderer,
                                  SignedTrackingLinks tracking, MimeAssembler assembler) {
        String id = SyntheticAudience.profileId(1);
        Profile profile = audience.profile(id).orElseThrow();
        SendKey key = new SendKey("bench", id);
        String messageId = MessageIds.of(key, "mail.shop.example");
        MessageRenderer.Rendered rendered = renderer.render(new MessageRenderer.Request(campaign.template(), Optional.empty(),
                profile, Map.of("campaign", campaign.key(), "variant", "a", "messageId", messageId)));
        if (!(rendered instanceof MessageRenderer.Message m)) {
            throw new IllegalStateException("weekly-picks does not render: " + rendered);
        }
        return assembler.assemble(new OutgoingMessage(messageId, campaign.sender().mailbox(),
                String.valueOf(profile.traitValues().get("email")), m.subject(), tracking.decorate(m.html(), key, messageId),
                m.text(), m.amp(), m.headers()), MimeAssembler.TransferEncoding.EIGHT_BIT).length;
    }

    private static long maxRssMb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
