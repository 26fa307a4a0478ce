package io.tessera.server.delivery;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.delivery.bounce.Bounce;
import io.tessera.delivery.bounce.BounceRecorder;
import io.tessera.delivery.bounce.SmtpStatus;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /hooks/bounces}: bounces and complaints reported by an ESP or relay over HTTP.
 *
 * <p>Signed: header {@code X-Tessera-Signature: sha256=<hex HMAC-SHA256 of the raw body>} with the
 * secret {@code hooks.bounces.secret} ({@code TESSERA_HOOKS_BOUNCES_SECRET}); no secret configured
 * means the endpoint is off (503), a missing or wrong signature is 401 and records nothing. Body:
 * one object or an array of up to 1000, each
 * {@code {"email", "type": "hard"|"soft"|"complaint", "reason", "messageId", "smtpCode", "status"}}
 * ({@code email} and {@code type} required). The whole body is validated before anything is
 * recorded: a bad item is a 400 listing every problem with its JSON pointer, nothing half-applied.
 * Each item goes to the {@link BounceRecorder} (suppression for hard bounces and complaints, ledger
 * by {@code messageId}, profile event). Answers {@code {"recorded": n, "attributed": n}}.
 */
public final class BounceWebhookRoutes {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ITEMS = 1000;

    private final BounceRecorder recorder;
    private final Optional<byte[]> secret;
    private final InstantSource clock;

    public BounceWebhookRoutes(BounceRecorder recorder, Optional<String> secret, InstantSource clock) {
        this.recorder = recorder;
        this.secret = secret.filter(s -> !s.isBlank()).map(s -> s.getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/hooks/bounces", this::receive);
    }

    /** The signature header value for a body; what a sender computes. */
    public static String signature(byte[] secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
    }

    private void receive(Context ctx) {
        if (secret.isEmpty()) {
            error(ctx, 503, "unavailable", "bounce webhook is not configured (hooks.bounces.secret)", List.of());
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        String given = Optional.ofNullable(ctx.header("X-Tessera-Signature")).orElse("").strip();
        byte[] expected = signature(secret.get(), body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            error(ctx, 401, "invalid_signature", "X-Tessera-Signature must be sha256=<HMAC-SHA256 of the body>", List.of());
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (RuntimeException e) {
            error(ctx, 400, "invalid_json", "the body is not JSON", List.of());
            return;
        }
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
            error(ctx, 413, "batch_too_large", "at most " + MAX_ITEMS + " items per request", List.of());
            return;
        }
        List<Bounce> bounces = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            parse(items.get(i), prefix.isEmpty() ? "" : prefix + i, problems).ifPresent(bounces::add);
        }
        if (!problems.isEmpty()) {
            error(ctx, 400, "invalid_bounce", problems.size() + " problem(s) in the body", problems);
            return;
        }
        int attributed = 0;
        for (Bounce b : bounces) {
            if (recorder.record(b).key().isPresent()) {
                attributed++;
            }
        }
        ctx.status(200).contentType("application/json")
                .result(JSON.writeValueAsString(Map.of("recorded", bounces.size(), "attributed", attributed)));
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

    private static byte[] hmac(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, int status, String code, String message, List<?> details) {
        ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(
                Map.of("error", Map.of("code", code, "message", message, "details", details))));
    }
}
