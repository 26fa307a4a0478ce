package io.tessera.ingest.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HookSignatureTest {

    /** The worked example of Slack's "Verifying requests from Slack" page, checked with Slack's settings. */
    @Test
    void slacksPublishedExampleVerifies() {
        HookSignature slack = new HookSignature("X-Slack-Signature", "v0=", HookSignature.Encoding.HEX, "v0:{timestamp}:{body}",
                Optional.of("X-Slack-Request-Timestamp"), Duration.ofMinutes(5));
        byte[] secret = "8f742231b10e8888abcd99yyyzzz85a5".getBytes(StandardCharsets.UTF_8);
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        Map<String, String> headers = Map.of("X-Slack-Request-Timestamp", "1531420618",
                "X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
        Optional<String> verdict = slack.verify(secret, h -> Optional.ofNullable(headers.get(h)), body.getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochSecond(1531420618 + 60));
        assertThat(verdict).isEmpty();
        assertThat(slack.verify(secret, h -> Optional.ofNullable(headers.get(h)), body.getBytes(StandardCharsets.UTF_8),
                Instant.ofEpochSecond(1531420618 + 600))).contains("stale_request");
    }

    @Test
    void base64SchemesWithoutTimestampVerifyAndRejectOtherBodies() {
        HookSignature shopify = new HookSignature("X-Shopify-Hmac-Sha256", "", HookSignature.Encoding.BASE64, "{body}", Optional.empty(), Duration.ofMinutes(5));
        byte[] secret = "shop-secret-0123456789".getBytes(StandardCharsets.UTF_8);
        byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);
        String sig = shopify.headerValue(secret, "", body);
        assertThat(shopify.verify(secret, h -> Optional.of(sig), body, Instant.EPOCH)).isEmpty();
        assertThat(shopify.verify(secret, h -> Optional.of(sig), "{\"id\":2}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH)).contains("invalid_signature");
        assertThat(shopify.verify(secret, h -> Optional.of("!!not base64!!"), body, Instant.EPOCH)).contains("invalid_signature");
        assertThat(shopify.verify(secret, h -> Optional.empty(), body, Instant.EPOCH)).contains("missing_signature");
    }
}
