package io.tessera.server.delivery;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.delivery.bounce.Bounce;
import io.tessera.delivery.bounce.BounceRecorder;
import io.tessera.delivery.bounce.SmtpStatus;
import io.tessera.ingest.hook.HookSignature;
import io.tessera.ingest.hook.HookSource;
import io.tessera.server.ApiException;
import io.tessera.server.JsonBodies;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /hooks/bounces}: bounces and complaints reported by an ESP or relay over HTTP.
 *
 * <p>Signed like every inbound webhook ({@link HookSignature}): by default Tessera's scheme,
 * {@code X-Tessera-Signature: sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">} with the Unix time in
 * {@code X-Tessera-Timestamp} (five-minute replay window), keyed by {@code hooks.bounces.secret}
 * ({@code TESSERA_HOOKS_BOUNCES_SECRET}). A webhook source named {@code bounces} saved through
 * {@code PUT /api/v1/hooks/bounces} overrides secret and scheme (e.g. an ESP's own header). No
 * secret at all means the endpoint is off (503); a missing, wrong or stale signature is 401 and
 * records nothing. Body:
 * one object or an array of up to 1000, each
 * {@code {"email", "type": "hard"|"soft"|"complaint", "reason", "messageId", "smtpCode", "status"}}
 * ({@code email} and {@code type} required). The whole body is validated before anything is
 * recorded: a bad item is a 400 listing every problem with its JSON pointer, nothing half-applied.
 * Each item goes to the {@link BounceRecorder} (suppression for hard bounces and complaints, ledger
 * by {@code messageId}, profile event). Answers {@code {"recorded": n, "attributed": n}}.
 */
public final class BounceWebhookRoutes {

    private static final int MAX_ITEMS = 1000;

    private final BounceRecorder recorder;
    private final Supplier<Optional<HookSource>> source;
    private final Optional<byte[]> secret;
    private final InstantSource clock;

    /**
     * @param source the saved webhook source named {@code bounces}, if any (looked up per request)
     * @param secret {@code hooks.bounces.secret} from the configuration
     */
    public BounceWebhookRoutes(BounceRecorder recorder, Supplier<Optional<HookSource>> source, Optional<String> secret,
                               InstantSource clock) {
        this.recorder = recorder;
        this.source = source;
        this.secret = secret.filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/hooks/bounces", this::receive);
    }

    private void receive(Context ctx) {
        Optional<HookSource> saved = source.get();
        Optional<byte[]> key = saved.map(HookSource::secret).or(() -> secret);
        if (key.isEmpty()) {
            throw new ApiException("unavailable", "bounce webhook is not configured (hooks.bounces.secret)", List.of());
        }
        HookSignature scheme = saved.map(HookSource::signature).orElseGet(HookSignature::tessera);
        byte[] body = ctx.bodyAsBytes();
        Optional<String> refused = scheme.verify(key.get(), name -> Optional.ofNullable(ctx.header(name)), body, clock.instant());
        if (refused.isPresent()) {
            throw new ApiException(refused.get(), "the request must be signed: " + scheme.header() + " (see docs/CAMPAIGNS.md)", List.of());
        }
        JsonNode root = JsonBodies.read(ctx);
        List<JsonNode> items = new ArrayList<>();
        String prefix;
        if (root != null && root.isArray()) {
            root.forEach(items::add);
            prefix = "/";
        } else {
            items.add(root);
            prefix = "";
        }
        List<Map<String, String>> problems = new ArrayList<>();
        if (items.size() > MAX_ITEMS) {
            throw new ApiException("batch_too_large", "at most " + MAX_ITEMS + " items per request", List.of());
        }
        List<Bounce> bounces = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parse(items.get(i), prefix.isEmpty() ? "" : prefix + i, problems).ifPresent(bounces::add);
        }
        if (!problems.isEmpty()) {
            throw new ApiException("invalid_bounce", problems.size() + " problem(s) in the body", problems);
        }
        int attributed = 0;
        for (Bounce b : bounces) {
            if (recorder.record(b).key().isPresent()) {
                attributed++;
            }
        }
        JsonBodies.write(ctx, 200, Map.of("recorded", bounces.size(), "attributed", attributed));
    }

    private Optional<Bounce> parse(JsonNode n, String pointer, List<Map<String, String>> problems) {
        if (n == null || !n.isObject()) {
            problems.add(problem(pointer, "must be an object"));
            return Optional.empty();
        }
        String email = n.path("email").asString("").strip();
        if (!email.matches("[^@\\s<>]+@[^@\\s<>]+")) {
            problems.add(problem(pointer + "/email", "required: an e-mail address"));
        }
        Optional<Bounce.Type> type = switch (n.path("type").asString("").toLowerCase(Locale.ROOT)) {
            case "hard" -> Optional.of(Bounce.Type.HARD);
            case "soft" -> Optional.of(Bounce.Type.SOFT);
            case "complaint" -> Optional.of(Bounce.Type.COMPLAINT);
            default -> Optional.empty();
        };
        if (type.isEmpty()) {
            problems.add(problem(pointer + "/type", "required: one of hard, soft, complaint"));
        }
        for (String field : List.of("reason", "messageId", "status")) {
            if (!n.path(field).isMissingNode() && !n.path(field).isNull() && !n.path(field).isString()) {
                problems.add(problem(pointer + "/" + field, "must be a string"));
            }
        }
        JsonNode code = n.path("smtpCode");
        if (!code.isMissingNode() && !code.isNull() && !(code.isInt() && code.asInt() >= 200 && code.asInt() <= 599)) {
            problems.add(problem(pointer + "/smtpCode", "must be an SMTP reply code (200-599)"));
        }
        if (type.isEmpty() || !problems.isEmpty()) {
            return Optional.empty();
        }
        String reason = n.path("reason").asString("");
        SmtpStatus fromReason = SmtpStatus.parse(reason);
        SmtpStatus status = new SmtpStatus(code.isInt() ? code.asInt() : fromReason.code(),
                Optional.ofNullable(n.path("status").isString() ? n.path("status").asString() : null).or(fromReason::enhanced));
        Optional<String> messageId = n.path("messageId").isString() ? Optional.of(n.path("messageId").asString()) : Optional.empty();
        return Optional.of(new Bounce(type.get(), email, messageId, Optional.empty(), status, reason, "webhook", clock.instant()));
    }

    private static Map<String, String> problem(String pointer, String message) {
        return Map.of("pointer", pointer, "message", message);
    }

}
