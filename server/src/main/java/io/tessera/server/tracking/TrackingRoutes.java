package io.tessera.server.tracking;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.SuppressionList;
import io.tessera.delivery.campaign.Campaign;
import io.tessera.delivery.tracking.SignedTrackingLinks.Claim;
import io.tessera.delivery.tracking.SignedTrackingLinks.Kind;
import io.tessera.delivery.tracking.SignedTrackingLinks;
import io.tessera.event.EventType;
import io.tessera.ingest.Ingestor;
import io.tessera.ingest.RequestVerdict;
import io.tessera.profile.IdentityKind;
import io.tessera.profile.Profile;
import io.tessera.profile.ProfileStore;
import io.tessera.server.ApiException;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tracking loop's public endpoints: {@code GET /t/o/{token}} (1×1 GIF open pixel),
 * {@code GET /t/c/{token}?u={url}} (click redirect, only to the URL the token was issued for) and
 * {@code POST /t/u/{token}} (RFC 8058 one-click unsubscribe; {@code GET} shows a confirmation
 * form instead of acting, because link scanners fetch every GET). Each becomes a track event
 * ("Email Opened", "Email Link Clicked", "Unsubscribed") on the recipient's profile through the
 * normal {@link Ingestor}, with {@code properties.campaign} and {@code messageId}; an unsubscribe
 * also suppresses the address at once. Invalid tokens never redirect and never record anything.
 *
 * <p>Subscription topics: when the token's campaign belongs to a topic, an unsubscribe (the
 * RFC 8058 one-click POST, or the form's default button) unsubscribes from that topic only —
 * trait {@code topic.<key>} set to {@code false} through an identify event, and "Unsubscribed"
 * with {@code properties.topic}; the form's "from all" button (field {@code scope=all}) suppresses
 * the address as before. A campaign without a topic always unsubscribes from all.
 */
public final class TrackingRoutes {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final SignedTrackingLinks links;
    private final Ingestor ingestor;
    private final ProfileStore profiles;
    private final SuppressionList suppressions;
    private final InstantSource clock;
    private final Function<String, Optional<Campaign.Topic>> topicOf;
    private final io.tessera.server.delivery.ProfileEventWriter writer;

    public TrackingRoutes(SignedTrackingLinks links, Ingestor ingestor, ProfileStore profiles, SuppressionList suppressions,
                          InstantSource clock) {
        this(links, ingestor, profiles, suppressions, clock, campaign -> Optional.empty());
    }

    /** @param topicOf a campaign key's subscription topic (from the campaign store) */
    public TrackingRoutes(SignedTrackingLinks links, Ingestor ingestor, ProfileStore profiles, SuppressionList suppressions,
                          InstantSource clock, Function<String, Optional<Campaign.Topic>> topicOf) {
        this.topicOf = topicOf;
        this.writer = new io.tessera.server.delivery.ProfileEventWriter(ingestor, profiles);
        this.links = links;
        this.ingestor = ingestor;
        this.profiles = profiles;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/t/o/{token}", ctx -> {
            links.verify(ctx.pathParam("token"), Kind.OPEN).ifPresent(c -> record(c, "Email Opened", Map.of()));
            ctx.status(200).contentType("image/gif").header("Cache-Control", "no-store, max-age=0").result(GIF);
        });
        config.routes.get("/t/c/{token}", ctx -> {
            String u = ctx.queryParam("u");
            Optional<Claim> c = links.verify(ctx.pathParam("token"), Kind.CLICK, u == null ? "" : u);
            if (c.isEmpty() || !(c.get().url().startsWith("https://") || c.get().url().startsWith("http://"))) {
                throw new ApiException("invalid_link", "this link is not valid");
            }
            record(c.get(), "Email Link Clicked", Map.of("url", c.get().url()));
            ctx.status(302).header("Location", c.get().url()).header("Cache-Control", "no-store");
        });
        config.routes.post("/t/u/{token}", this::unsubscribe);
        config.routes.get("/t/u/{token}", ctx -> {
            Optional<Claim> c = links.verify(ctx.pathParam("token"), Kind.UNSUBSCRIBE);
            if (c.isEmpty()) {
                throw new ApiException("invalid_link", "this link is not valid");
            }
            Optional<Campaign.Topic> topic = topicOf.apply(campaignOf(c.get()));
            String buttons = topic.map(t -> "<p>Stop receiving \u201c" + t.key() + "\u201d emails?</p>"
                            + "<button type=\"submit\">Unsubscribe from " + t.key() + "</button> "
                            + "<button type=\"submit\" name=\"scope\" value=\"all\">Unsubscribe from all emails</button>")
                    .orElse("<p>Stop receiving these emails?</p><button type=\"submit\">Unsubscribe</button>");
            ctx.status(200).contentType("text/html; charset=utf-8").result("<!doctype html><form method=\"post\">" + buttons + "</form>");
        });
    }

    private void unsubscribe(Context ctx) {
        Optional<Claim> c = links.verify(ctx.pathParam("token"), Kind.UNSUBSCRIBE);
        if (c.isEmpty()) {
            throw new ApiException("invalid_link", "this link is not valid");
        }
        Optional<Campaign.Topic> topic = "all".equals(ctx.formParam("scope")) ? Optional.empty()
                : topicOf.apply(campaignOf(c.get()));
        if (topic.isPresent()) {
            writer.identify(c.get().profileId(), Map.of(topic.get().trait(), false),
                    "U-" + topic.get().key() + "-" + c.get().messageId(), clock.instant(), "tracking");
            record(c.get(), "Unsubscribed", Map.of("topic", topic.get().key()));
            ctx.status(200).contentType("text/plain; charset=utf-8")
                    .result("You are unsubscribed from \u201c" + topic.get().key() + "\u201d emails.");
            return;
        }
        Optional<Profile> p = profiles.get(c.get().profileId());
        p.flatMap(TrackingRoutes::email).ifPresent(address -> suppressions.suppress(
                new Suppression(address, Suppression.Reason.UNSUBSCRIBE, clock.instant(), "one-click " + c.get().scope())));
        record(c.get(), "Unsubscribed", Map.of("topic", "all"));
        ctx.status(200).contentType("text/plain; charset=utf-8").result("You are unsubscribed.");
    }

    /** Appends a track event for the token's profile; the messageId makes repeats of one request idempotent per second. */
    private void record(Claim c, String event, Map<String, Object> extra) {
        Optional<Profile> p = profiles.get(c.profileId());
        Optional<String> userId = p.flatMap(x -> x.firstIdentity(IdentityKind.USER_ID));
        Optional<String> anonymousId = p.flatMap(x -> x.firstIdentity(IdentityKind.ANONYMOUS_ID));
        if (userId.isEmpty() && anonymousId.isEmpty()) {
            return;
        }
        Map<String, Object> props = new LinkedHashMap<>(extra);
        props.put("campaign", campaignOf(c));
        props.put("run", c.scope());
        props.put("emailMessageId", c.messageId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "track");
        userId.ifPresentOrElse(u -> body.put("userId", u), () -> body.put("anonymousId", anonymousId.get()));
        body.put("event", event);
        body.put("properties", props);
        body.put("messageId", event.charAt(6) + "-" + c.messageId() + "-" + clock.instant().getEpochSecond());
        body.put("timestamp", clock.instant().toString());
        RequestVerdict v = ingestor.parse(Optional.of(EventType.TRACK), JSON.writeValueAsBytes(body), "tracking");
        if (v instanceof RequestVerdict.Parsed parsed) {
            ingestor.ingest(parsed, "tracking").join();
        }
    }

    /** The campaign key of a token's ledger scope ({@code key}, {@code key@run}, {@code key#entry}). */
    private static String campaignOf(Claim c) {
        return c.scope().replaceAll("[@#].*$", "");
    }

    private static Optional<String> email(Profile p) {
        return Optional.ofNullable(p.traits().get("email")).map(t -> String.valueOf(t.value()))
                .or(() -> p.firstIdentity(IdentityKind.EMAIL));
    }

}
