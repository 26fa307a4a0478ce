package io.tessera.opentime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.tracking.TrackingToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenTimeTokensTest {
    static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    static final TrackingToken.Key K1 = new TrackingToken.Key("k1", "k1-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    static final TrackingToken.Key K2 = new TrackingToken.Key("k2", "k2-fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

    final OpenTimeClaim claim = OpenTimeClaim.feed("p_42", "m_7", "welcome", NOW.plus(Duration.ofDays(30)));
    final OpenTimeTokens tokens = tokens(NOW, K1);

    static OpenTimeTokens tokens(Instant now, TrackingToken.Key... keys) {
        return new OpenTimeTokens(new TrackingToken(List.of(keys), InstantSource.fixed(now)));
    }

    @Test
    void aTokenVerifiesToTheClaimItWasIssuedFor() {
        assertThat(tokens.verify(tokens.issue(claim), OpenTimeClaim.Use.FEED)).contains(claim);
    }

    @Test
    void aTokenCarriesNoEmailAddressOrName() {
        String t = tokens.issue(claim);
        String decoded = new String(Base64.getUrlDecoder().decode(t.substring(0, t.indexOf('.'))), StandardCharsets.UTF_8);
        assertThat(decoded).doesNotContain("@");
        assertThat(t).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void aForgedSignatureIsRejected() {
        String t = tokens.issue(claim);
        char last = t.charAt(t.length() - 2);
        String forged = t.substring(0, t.length() - 2) + (last == 'A' ? 'B' : 'A') + t.charAt(t.length() - 1);
        assertThat(tokens.verify(forged, OpenTimeClaim.Use.FEED)).isEmpty();
        OpenTimeTokens otherSecretSameId = tokens(NOW, new TrackingToken.Key("k1", K2.secret()));
        assertThat(tokens.verify(otherSecretSameId.issue(claim), OpenTimeClaim.Use.FEED)).isEmpty();
    }

    @Test
    void aTokenReusedForAnotherProfileMessageTemplateOrUseIsRejected() {
        String t = tokens.issue(claim);
        String payload = new String(Base64.getUrlDecoder().decode(t.substring(0, t.indexOf('.'))), StandardCharsets.UTF_8);
        for (String swapped : new String[] {payload.replace("p_42", "p_43"), payload.replace("FEED", "LIVE_IMAGE"),
                payload.replace("m_7", "m_8"), payload.replace("welcome", "winback")}) {
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(swapped.getBytes(StandardCharsets.UTF_8))
                    + t.substring(t.indexOf('.'));
            assertThat(tokens.verify(tampered, OpenTimeClaim.Use.FEED)).as(swapped).isEmpty();
            assertThat(tokens.verify(tampered, OpenTimeClaim.Use.IMAGE)).as(swapped).isEmpty();
        }
        assertThat(tokens.verify(t, OpenTimeClaim.Use.IMAGE)).isEmpty();
    }

    @Test
    void aTrackingTokenOfAnotherPurposeOpensNoFeed() {
        TrackingToken shared = new TrackingToken(List.of(K1), InstantSource.fixed(NOW));
        String open = shared.issue("p_42", "m_7", TrackingToken.Purpose.OPEN, "welcome", "", NOW.plusSeconds(600));
        String unscoped = shared.issue("p_42", "m_7", TrackingToken.Purpose.FEED, "", NOW.plusSeconds(600));
        assertThat(tokens.verify(open, OpenTimeClaim.Use.FEED)).isEmpty();
        assertThat(tokens.verify(unscoped, OpenTimeClaim.Use.FEED)).isEmpty();
    }

    @Test
    void anExpiredTokenIsRejectedFromItsExpirySecondOn() {
        String t = tokens.issue(OpenTimeClaim.feed("p_42", "m_7", "welcome", NOW.plusSeconds(60)));
        assertThat(tokens(NOW.plusSeconds(59), K1).verify(t, OpenTimeClaim.Use.FEED)).isPresent();
        assertThat(tokens(NOW.plusSeconds(60), K1).verify(t, OpenTimeClaim.Use.FEED)).isEmpty();
    }

    @Test
    void everyTruncationOfATokenIsRejected() {
        String t = tokens.issue(claim);
        for (int i = 0; i < t.length(); i++) {
            assertThat(tokens.verify(t.substring(0, i), OpenTimeClaim.Use.FEED)).as("prefix %d", i).isEmpty();
            assertThat(tokens.verify(t.substring(i + 1), OpenTimeClaim.Use.FEED)).as("suffix from %d", i + 1).isEmpty();
        }
    }

    @Test
    void rotationKeepsOldTokensValidUntilTheOldKeyIsRemoved() {
        String old = tokens.issue(claim);
        OpenTimeTokens rotated = tokens(NOW, K2, K1);
        OpenTimeTokens retired = tokens(NOW, K2);

        assertThat(rotated.verify(old, OpenTimeClaim.Use.FEED)).isPresent();
        assertThat(rotated.verify(rotated.issue(claim), OpenTimeClaim.Use.FEED)).isPresent();
        assertThat(retired.verify(old, OpenTimeClaim.Use.FEED)).isEmpty();
        assertThat(retired.verify(rotated.issue(claim), OpenTimeClaim.Use.FEED)).isPresent();
    }

    @Test
    void garbageNeverThrows() {
        for (String g : new String[] {"", ".", "..", "a.b", "%00.%00", "x".repeat(5000), "YQ.YQ", "djE.", "'; drop table x;--",
                "a.b.c", "\u001f.\u001f"}) {
            assertThat(tokens.verify(g, OpenTimeClaim.Use.FEED)).as(g).isEmpty();
        }
    }
}
