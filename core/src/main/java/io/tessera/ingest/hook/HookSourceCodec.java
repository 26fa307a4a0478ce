package io.tessera.ingest.hook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a {@link HookSource}, as the admin API takes it and the stores keep it:
 *
 * <pre>{@code
 * {"secret": "…at least 16 characters…",
 *  "signature": {"header": "X-Tessera-Signature", "prefix": "sha256=", "encoding": "hex",
 *                "signedContent": "{timestamp}.{body}", "timestampHeader": "X-Tessera-Timestamp",
 *                "replayWindowSeconds": 300},
 *  "mapping": {…see HookMapping…}}
 * }</pre>
 *
 * {@code signature} may be left out (Tessera's own scheme) or given in part (the rest defaults to
 * Tessera's scheme; {@code "timestampHeader": ""} means the source sends no time). The public form
 * ({@link #toPublicJson}) never contains the secret.
 */
public final class HookSourceCodec {
    private static final Set<String> TOP = Set.of("secret", "signature", "mapping");
    private static final Set<String> SIG = Set.of("header", "prefix", "encoding", "signedContent", "timestampHeader", "replayWindowSeconds");

    private HookSourceCodec() {}

    /**
     * Reads a source from the API form. {@code previousSecret} is kept when the body has no secret
     * (so a mapping can be changed without re-sending the secret).
     *
     * @throws IllegalArgumentException naming the bad field
     */
    public static HookSource fromJson(String name, JsonNode body, Optional<byte[]> previousSecret) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with secret, signature and mapping");
        }
        for (String k : body.propertyNames()) {
            if (!TOP.contains(k)) {
                throw new IllegalArgumentException(k + " is not a source field; known: secret, signature, mapping");
            }
        }
        JsonNode s = body.get("secret");
        byte[] secret;
        if (s != null && s.isString()) {
            secret = s.asString().getBytes(StandardCharsets.UTF_8);
        } else if (s == null && previousSecret.isPresent()) {
            secret = previousSecret.get();
        } else {
            throw new IllegalArgumentException("secret (a string of at least 16 characters) is required");
        }
        return new HookSource(name, secret, signature(body.get("signature")), HookMapping.fromJson(body.get("mapping")));
    }

    /** The stored form: the public form plus the secret (base64). */
    public static ObjectNode toStoredJson(HookSource source) {
        ObjectNode o = toPublicJson(source);
        o.remove("secretSet");
        o.put("secretBase64", Base64.getEncoder().encodeToString(source.secret()));
        return o;
    }

    public static HookSource fromStoredJson(String name, JsonNode stored) {
        byte[] secret = Base64.getDecoder().decode(stored.get("secretBase64").asString());
        return new HookSource(name, secret, signature(stored.get("signature")), HookMapping.fromJson(stored.get("mapping")));
    }

    /** What the API shows: everything but the secret. */
    public static ObjectNode toPublicJson(HookSource source) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", source.name());
        o.put("secretSet", true);
        HookSignature sig = source.signature();
        ObjectNode s = o.putObject("signature");
        s.put("header", sig.header());
        s.put("prefix", sig.prefix());
        s.put("encoding", sig.encoding().name().toLowerCase(Locale.ROOT));
        s.put("signedContent", sig.signedContent());
        s.put("timestampHeader", sig.timestampHeader().orElse(""));
        s.put("replayWindowSeconds", sig.replayWindow().toSeconds());
        o.set("mapping", source.mapping().toJson());
        return o;
    }

    private static HookSignature signature(JsonNode s) {
        HookSignature d = HookSignature.tessera();
        if (s == null || s.isNull()) {
            return d;
        }
        if (!s.isObject()) {
            throw new IllegalArgumentException("signature must be an object");
        }
        for (String k : s.propertyNames()) {
            if (!SIG.contains(k)) {
                throw new IllegalArgumentException("signature." + k + " is not a signature field; known: " + new java.util.TreeSet<>(SIG));
            }
        }
        String encoding = text(s, "encoding", d.encoding().name()).toUpperCase(Locale.ROOT);
        if (!encoding.equals("HEX") && !encoding.equals("BASE64")) {
            throw new IllegalArgumentException("signature.encoding must be \"hex\" or \"base64\"");
        }
        String ts = text(s, "timestampHeader", d.timestampHeader().orElse(""));
        JsonNode w = s.get("replayWindowSeconds");
        if (w != null && !w.canConvertToLong()) {
            throw new IllegalArgumentException("signature.replayWindowSeconds must be a whole number");
        }
        Duration window = w == null ? d.replayWindow() : Duration.ofSeconds(w.asLong());
        String content = text(s, "signedContent", ts.isEmpty() ? "{body}" : d.signedContent());
        return new HookSignature(text(s, "header", d.header()), text(s, "prefix", d.prefix()),
                HookSignature.Encoding.valueOf(encoding), content, ts.isEmpty() ? Optional.empty() : Optional.of(ts), window);
    }

    private static String text(JsonNode o, String key, String fallback) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isString()) {
            throw new IllegalArgumentException("signature." + key + " must be a string");
        }
        return v.asString();
    }
}
