package io.tessera.server.delivery;

import io.tessera.delivery.Outbox;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.campaign.CampaignCodec;
import io.tessera.delivery.dispatch.CampaignDispatcher;
import io.tessera.segment.Backfill;
import io.tessera.segment.SaveVerdict;
import io.tessera.segment.SegmentRegistry;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The campaign part of {@code tessera demo}: a segment of everyone with an e-mail address, the
 * shipped {@code weekly-picks} template, an A/B campaign with a 10% holdout sent to the outbox,
 * and what came out — each recipient's personalized subject, the outbox URL and a tracking link to
 * click. Running the demo again on the same data sends nothing twice (the send ledger).
 */
final class DemoCampaign {

    static final String SEGMENT = "demo_shoppers";
    static final String CAMPAIGN = "demo-weekly-picks";
    static final String TEMPLATE = "weekly-picks";
    private static final Pattern CLICK = Pattern.compile("href=\"(https?://[^\"]+/t/c/[^\"]+)\"");

    private DemoCampaign() {
    }

    static void run(DeliveryFeature delivery, SegmentRegistry segments, String baseUrl, PrintStream out)
            throws InterruptedException {
        if (!(segments.save(SEGMENT, "Shoppers with an e-mail address", "has(traits.email)") instanceof SaveVerdict.Saved)) {
            out.println("demo: could not create segment " + SEGMENT);
            return;
        }
        for (int i = 0; i < 600 && segments.backfill(SEGMENT).map(p -> p.status() != Backfill.Status.DONE).orElse(false); i++) {
            Thread.sleep(50);
        }
        String json = """
                {"name": "Weekly picks (demo)", "audience": {"segment": "%s"}, "template": {"key": "%s"},
                 "sender": {"address": "picks@shop.example", "name": "Tessera Demo Shop"}, "holdoutPercent": 10,
                 "variants": [{"name": "A", "weight": 1},
                              {"name": "B", "weight": 1, "subject": "{{ profile.firstName | default: 'Hello' }}, your weekly picks are in"}],
                 "conversionDays": 7}""".formatted(SEGMENT, TEMPLATE);
        Campaign campaign = ((CampaignCodec.Parsed.Valid) CampaignCodec.parse(CAMPAIGN, json)).campaign();
        List<String> lint = delivery.templateProblems(campaign.template());
        if (lint.stream().anyMatch(p -> p.startsWith("no template"))) {
            out.println("demo: " + lint.getFirst() + " (run the demo from the repository root so examples/templates is found)");
            return;
        }
        lint.forEach(p -> out.println("lint (overridden for the demo): " + p));
        delivery.campaigns().put(campaign);
        CampaignDispatcher.Report r = delivery.dispatcher().run(campaign, CAMPAIGN);
        out.println("campaign " + CAMPAIGN + ": " + r.sent() + " sent to the outbox, " + r.skipped() + " skipped (holdout, no address), "
                + r.alreadyHandled() + " already sent by an earlier run");
        List<Outbox.Entry> sent = delivery.outbox().list(Optional.of(CAMPAIGN), 0, 100);
        Optional<String> click = Optional.empty();
        for (Outbox.Entry e : sent) {
            out.printf("  %-22s %s%n", e.to(), e.subject());
            if (click.isEmpty()) {
                click = firstClickLink(e.rawMime());
            }
        }
        out.println("  outbox:     curl -H 'Authorization: Bearer <admin token>' '" + baseUrl + "/api/v1/outbox?campaign=" + CAMPAIGN + "'");
        if (!sent.isEmpty()) {
            out.println("  a message:  curl -H 'Authorization: Bearer <admin token>' " + baseUrl + "/api/v1/outbox/" + sent.getFirst().messageId());
        }
        click.ifPresent(u -> out.println("  click it:   " + u + "   (then see the click in the stats)"));
        out.println("  stats:      curl -H 'Authorization: Bearer <admin token>' " + baseUrl + "/api/v1/campaigns/" + CAMPAIGN + "/stats");
    }

    /** The first tracked link in the HTML part of a raw message. */
    static Optional<String> firstClickLink(byte[] rawMime) {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(rawMime));
            return html(m.getContent()).flatMap(h -> {
                Matcher x = CLICK.matcher(h);
                return x.find() ? Optional.of(x.group(1).replace("&amp;", "&")) : Optional.empty();
            });
        } catch (MessagingException | IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> html(Object content) throws MessagingException, IOException {
        if (content instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                if (p.isMimeType("text/html")) {
                    return Optional.of(String.valueOf(p.getContent()));
                }
                Optional<String> inner = html(p.getContent());
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }
}
