package io.tessera.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrackingTokenTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    private static final TrackingToken.Key K1 = new TrackingToken.Key("k1", bytes("first-secret-key-0123456789"));
    private static final TrackingToken.Key K2 = new TrackingToken.Key("k2", bytes("second-secret-key-0123456789"));

    @Test
    void validTokenCarriesItsClaims() {
        TrackingToken t = new TrackingToken(List.of(K1), InstantSource.fixed(NOW));
        String token = t.issue("p_1", "m_1", TrackingToken.Purpose.OPEN, "", NOW.plusSeconds(60));
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(t.verify(token, TrackingToken.Purpose.OPEN, "")).isEqualTo(new TrackingToken.Verdict.Valid(
                new TrackingToken.Claims("k1", "p_1", "m_1", TrackingToken.Purpose.OPEN, "", NOW.plusSeconds(60))));
    }

    @Test
    void expiredTokenIsRefused() {
        String token = new TrackingToken(List.of(K1), InstantSource.fixed(NOW))
                .issue("p_1", "m_1", TrackingToken.Purpose.OPEN, "", NOW.plusSeconds(60));
        TrackingToken later = new TrackingToken(List.of(K1), InstantSource.fixed(NOW.plusSeconds(60)));
        assertThat(later.verify(token, TrackingToken.Purpose.OPEN, "")).isEqualTo(new TrackingToken.Verdict.Invalid("expired"));
    }

    @Test
    void tamperedTokenIsRefused() {
        TrackingToken t = new TrackingToken(List.of(K1), InstantSource.fixed(NOW));
        String token = t.issue("p_1", "m_1", TrackingToken.Purpose.CLICK, "https://a.example/", NOW.plusSeconds(60));
        String other = t.issue("p_2", "m_1", TrackingToken.Purpose.CLICK, "https://a.example/", NOW.plusSeconds(60));
        String spliced = other.substring(0, other.indexOf('.')) + token.substring(token.indexOf('.'));
        assertThat(t.verify(spliced, TrackingToken.Purpose.CLICK, "https://a.example/")).isEqualTo(new TrackingToken.Verdict.Invalid("bad_signature"));
        assertThat(t.verify("garbage", TrackingToken.Purpose.CLICK, "")).isEqualTo(new TrackingToken.Verdict.Invalid("malformed"));
        assertThat(t.verify(token, TrackingToken.Purpose.OPEN, "https://a.example/")).isEqualTo(new TrackingToken.Verdict.Invalid("wrong_purpose"));
        assertThat(t.verify(token, TrackingToken.Purpose.CLICK, "https://b.example/")).isEqualTo(new TrackingToken.Verdict.Invalid("wrong_target"));
    }

    @Test
    void rotatedKeysStillVerifyOldTokensUntilRemoved() {
        String old = new TrackingToken(List.of(K1), InstantSource.fixed(NOW)).issue("p", "m", TrackingToken.Purpose.UNSUBSCRIBE, "", NOW.plusSeconds(600));
        TrackingToken rotated = new TrackingToken(List.of(K2, K1), InstantSource.fixed(NOW));
        assertThat(rotated.verify(old, TrackingToken.Purpose.UNSUBSCRIBE, "")).isInstanceOf(TrackingToken.Verdict.Valid.class);
        String fresh = rotated.issue("p", "m", TrackingToken.Purpose.UNSUBSCRIBE, "", NOW.plusSeconds(600));
        assertThat(rotated.verify(fresh, TrackingToken.Purpose.UNSUBSCRIBE, "")).isInstanceOfSatisfying(TrackingToken.Verdict.Valid.class,
                v -> assertThat(v.claims().keyId()).isEqualTo("k2"));
        TrackingToken retired = new TrackingToken(List.of(K2), InstantSource.fixed(NOW));
        assertThat(retired.verify(old, TrackingToken.Purpose.UNSUBSCRIBE, "")).isEqualTo(new TrackingToken.Verdict.Invalid("unknown_key"));
    }

    @Test
    void aScopeIsSignedAndComesBackWithTheClaims() {
        TrackingToken t = new TrackingToken(List.of(K1), InstantSource.fixed(NOW));
        String token = t.issue("p_1", "m_1", TrackingToken.Purpose.FEED, "welcome", "", NOW.plusSeconds(60));
        assertThat(t.verify(token, TrackingToken.Purpose.FEED, "")).isInstanceOfSatisfying(TrackingToken.Verdict.Valid.class,
                v -> assertThat(v.claims().scope()).isEqualTo("welcome"));
        assertThat(t.verify(token, TrackingToken.Purpose.LIVE_IMAGE, "")).isEqualTo(new TrackingToken.Verdict.Invalid("wrong_purpose"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aClickTokenCarriesTheHashOfItsTargetWhetherTheTargetIsNewOrRepeated() throws Exception {
        TrackingToken t = new TrackingToken(List.of(K1), InstantSource.fixed(NOW));
        // more distinct targets than the per-thread memo holds, twice over, so hits, misses and a clear all occur
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 1500; i++) {
                String url = "https://shop.example/p/" + i + "?ä=" + (i % 7);
                String token = t.issue("p_1", "m_1", TrackingToken.Purpose.CLICK, url, NOW.plusSeconds(60));
                String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
                byte[] sha = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
                assertThat(payload).endsWith("\u001F" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sha, 16)));
                assertThat(t.verify(token, TrackingToken.Purpose.CLICK, url)).isInstanceOf(TrackingToken.Verdict.Valid.class);
                assertThat(t.verify(token, TrackingToken.Purpose.CLICK, url + "x")).isEqualTo(new TrackingToken.Verdict.Invalid("wrong_target"));
            }
        }
    }
}
