package io.tessera.bench.delivery;

import io.tessera.delivery.Mailer;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.TrackingLinks;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.delivery.mime.DkimSigner;
import io.tessera.delivery.mime.MimeAssembler;
import io.tessera.delivery.smtp.SmtpMailer;
import io.tessera.delivery.smtp.SmtpSettings;
import io.tessera.store.sqlite.SqliteSendLedger;
import io.tessera.store.sqlite.SqliteSuppressionList;
import io.tessera.testkit.PlainRenderer;
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
 * mark, confirm), suppression check, render per recipient, MIME assembly (+ DKIM when asked),
 * pooled SMTP. Prints messages/s accepted by the relay and memory. Used by bench/delivery.sh.
 *
 * <p>Arguments: recipients host port workers htmlBytes dkim(true|false) dataDir
 */
public final class DeliveryBench {

    public static void main(String[] args) throws Exception {
        int recipients = Integer.parseInt(args[0]);
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int workers = Integer.parseInt(args[3]);
        int htmlBytes = Integer.parseInt(args[4]);
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
        SyntheticAudience audience = new SyntheticAudience(recipients, 50);
        PlainRenderer renderer = new PlainRenderer("{{firstName}}, your picks for {{city}}",
                "<html><body><h1>Hello {{firstName}}</h1><a href=\"https://shop.example/autumn\">Shop</a>\n",
                "Hello {{firstName}}, new in {{city}}: https://shop.example/autumn", htmlBytes);
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
        try (SqliteSendLedger ledger = new SqliteSendLedger(db);
             SqliteSuppressionList suppressions = new SqliteSuppressionList(db);
             Mailer smtp = new SmtpMailer(SmtpSettings.of(host, port).withPool(workers, workers)
                     .withRetries(3, Duration.ofMillis(50), Duration.ofSeconds(1)), assembler);
             CampaignDispatcher dispatcher = new CampaignDispatcher(ledger, suppressions, smtp, renderer, audience, audience,
                     TrackingLinks.NONE, clock, "mail.shop.example", workers, 3, Duration.ofMillis(200))) {
            byte[] one = assembler.assemble(new io.tessera.delivery.OutgoingMessage("x@y", "news@shop.example",
                    audience.address(1), "Ann, your picks for Oslo", ((io.tessera.delivery.campaign.MessageRenderer.Message)
                    renderer.render(new io.tessera.delivery.campaign.MessageRenderer.Request(
                            new Campaign.TemplateRef("t", Optional.empty()), Optional.empty(),
                            audience.profile(SyntheticAudience.profileId(1)).orElseThrow(), java.util.Map.of()))).html(),
                    "text", Optional.empty(), java.util.Map.of()));
            bytes.set(one.length);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            CampaignDispatcher.Report r = dispatcher.run(Campaign.simple("bench", "everyone", "t", "news@shop.example"), "bench");
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuMsPerMsg = (os.getProcessCpuTime() - cpu0) / 1e6 / Math.max(1, r.sent());
            sampler.interrupt();
            System.out.printf("delivery-bench recipients=%d workers=%d dkim=%s message_bytes=%d sent=%d bounced=%d later=%d "
                            + "seconds=%.1f msgs_per_s=%.0f cpu_ms_per_msg=%.3f peak_heap_mb=%d max_rss_mb=%d%n",
                    recipients, workers, dkim, bytes.get(), r.sent(), r.bounced(), r.later().size(), secs, r.sent() / secs, cpuMsPerMsg,
                    peakHeap.get() >> 20, maxRssMb());
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(Path.of(db + suffix));
            }
        }
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
