package io.tessera.server;

import io.tessera.server.importer.EventImport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The bundled sample for {@code tessera demo}: a dozen shoppers who browse anonymously, identify,
 * add to cart and order ({@code demo/sample-events.jsonl}), loaded through the import path.
 * Features add their own demo steps (segments, templates, a campaign) after this one.
 */
final class DemoData {
    static final String SAMPLE_USER = "u_ann";

    private DemoData() {}

    /** The demo catalog (prices, stock, images), the model trained, and one shopper's open-time URLs. */
    private static void openTime(Tessera tessera, PrintStream out) throws IOException, InterruptedException {
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/catalog.json")) {
            tessera.openTime().loadCatalog(in);
        }
        tessera.awaitOpenTimeCurrent(Duration.ofMinutes(1));
        tessera.openTime().retrainRecommendations();
        String ann = tessera.profiles().resolve(new io.tessera.profile.Identity(io.tessera.profile.IdentityKind.USER_ID, SAMPLE_USER))
                .orElseThrow();
        for (String template : tessera.openTime().declarations().templateKeys()) {
            tessera.openTime().prefetch().warm(template, java.util.List.of(ann)).join();
            var links = tessera.openTime().links(tessera.publicUrl()).forMessage(template, ann, "demo-" + template, tessera.clock().instant());
            out.println("open-time (" + template + ", " + SAMPLE_USER + "):");
            out.println("  feed:       curl " + links.get("feed"));
            out.println("  feed (XML): curl " + links.get("feedXml"));
            if (links.get("images") instanceof java.util.Map<?, ?> images) {
                images.forEach((slot, url) -> out.println("  live image " + slot + ": curl -i " + url));
            }
        }
    }

    static void load(Tessera tessera, PrintStream out) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile("tessera-demo", ".jsonl");
        try (InputStream in = DemoData.class.getResourceAsStream("/demo/sample-events.jsonl")) {
            if (in == null) {
                throw new IllegalStateException("demo/sample-events.jsonl is missing from the jar");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            EventImport.Summary s = new EventImport(tessera.ingestor(), tessera.quarantine()).run(tmp, out);
            tessera.awaitProfilesCurrent(Duration.ofMinutes(1));
            out.println("loaded the sample: " + s.accepted() + " events, " + tessera.profiles().count() + " profiles");
            io.tessera.server.content.TemplateDirectory.syncIfPresent(Path.of("examples", "templates"),
                    tessera.config().dataDir().resolve("tessera.db"), out);
            openTime(tessera, out);
            tessera.delivery().runDemo(tessera.segments(), tessera.port(), out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
