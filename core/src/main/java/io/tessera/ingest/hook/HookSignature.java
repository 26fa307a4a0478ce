package io.tessera.ingest.hook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a source signs its requests: HMAC-SHA256 with the source's secret over {@code signedContent}
 * (a template of {@code {timestamp}} and {@code {body}}), sent in {@code header} as hex or base64
 * after an optional {@code prefix}. The defaults are Tessera's own scheme:
 * {@code X-Tessera-Signature: sha256=<hex HMAC of "{timestamp}.{body}">} with the Unix time in
 * {@code X-Tessera-Timestamp}. Other tools' schemes are settings, for example GitHub
 * ({@code X-Hub-Signature-256}, {@code sha256=}, {@code {body}}, no timestamp), Shopify
 * ({@code X-Shopify-Hmac-Sha256}, base64, {@code {body}}) or Slack ({@code X-Slack-Signature},
 * {@code v0=}, {@code v0:{timestamp}:{body}}, {@code X-Slack-Request-Timestamp}).
 *
 * <p>When a timestamp header is configured, a request whose time is further than
 * {@code replayWindow} from now is refused, so a captured request cannot be replayed later; within
 * the window a repeated request is idempotent (its events get the same message ids and the log
 * drops the duplicates). The signature is compared in constant time.
 *
 * @param header          the request header carrying the signature
 * @param prefix          text before the signature value ("sha256=", "v0="; may be empty)
 * @param encoding        how the MAC bytes are written
 * @param signedContent   what is signed: {@code {body}} and {@code {timestamp}} are replaced
 * @param timestampHeader the header carrying the request time (Unix seconds or milliseconds); empty = none
 * @param replayWindow    how far the request time may be from now
 */
public record HookSignature(String header, String prefix, Encoding encoding, String signedContent,
                            Optional<String> timestampHeader, Duration replayWindow) {

    public enum Encoding { HEX, BASE64 }

    public HookSignature {
        if (header.isBlank()) {
            throw new IllegalArgumentException("signature.header must not be blank");
        }
        if (!signedContent.contains("{body}")) {
            throw new IllegalArgumentException("signature.signedContent must contain {body}");
        }
        if (signedContent.contains("{timestamp}") && timestampHeader.isEmpty()) {
            throw new IllegalArgumentException("signature.signedContent uses {timestamp} but no signature.timestampHeader is set");
        }
        if (replayWindow.isNegative() || replayWindow.isZero()) {
            throw new IllegalArgumentException("signature.replayWindow must be positive");
        }
    }

    /** Tessera's own scheme (see the class comment), with a five-minute replay window. */
    public static HookSignature tessera() {
        return new HookSignature("X-Tessera-Signature", "sha256=", Encoding.HEX, "{timestamp}.{body}",
                Optional.of("X-Tessera-Timestamp"), Duration.ofMinutes(5));
    }

    /** The outcome of {@link #verify}: empty when the request is authentic and fresh, else the refusal code. */
    public Optional<String> verify(byte[] secret, Function<String, Optional<String>> headers, byte[] body, Instant now) {
        Optional<String> sent = headers.apply(header).map(String::trim);
        if (sent.isEmpty()) {
            return Optional.of("missing_signature");
        }
        String timestamp = "";
        if (timestampHeader.isPresent()) {
            Optional<Instant> at = headers.apply(timestampHeader.get()).flatMap(HookSignature::parseTime);
            if (at.isEmpty()) {
                return Optional.of("invalid_signature");
            }
            if (Duration.between(at.get(), now).abs().compareTo(replayWindow) > 0) {
                return Optional.of("stale_request");
            }
            timestamp = headers.apply(timestampHeader.get()).orElseThrow().trim();
        }
        String value = sent.get();
        if (!value.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Optional.of("invalid_signature");
        }
        byte[] expected = sign(secret, timestamp, body);
        Optional<byte[]> given = decode(value.substring(prefix.length()).trim());
        if (given.isEmpty() || !MessageDigest.isEqual(expected, given.get())) {
            return Optional.of("invalid_signature");
        }
        return Optional.empty();
    }

    /** The header value a sender computes for {@code body} at {@code timestamp} (used by tests and docs). */
    public String headerValue(byte[] secret, String timestamp, byte[] body) {
        byte[] mac = sign(secret, timestamp, body);
        return prefix + (encoding == Encoding.HEX ? HexFormat.of().formatHex(mac) : Base64.getEncoder().encodeToString(mac));
    }

    private byte[] sign(byte[] secret, String timestamp, byte[] body) {
        int at = signedContent.indexOf("{body}");
        String before = signedContent.substring(0, at).replace("{timestamp}", timestamp);
        String after = signedContent.substring(at + "{body}".length()).replace("{timestamp}", timestamp);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(before.getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return mac.doFinal(after.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private Optional<byte[]> decode(String text) {
        try {
            return Optional.of(encoding == Encoding.HEX ? HexFormat.of().parseHex(text.toLowerCase(Locale.ROOT)) : Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> parseTime(String text) {
        try {
            long n = Long.parseLong(text.trim());
            return Optional.of(n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
