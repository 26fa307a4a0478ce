package io.tessera.opentime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HmacOpenTimeTokensTest {
    static final Instant NOW = Instant.parse("2026-11-02T10:00:00Z");
    static final byte[] K1 = "k1-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] K2 = "k2-fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    final OpenTimeClaim claim = OpenTimeClaim.feed("p_42", "m_7", "welcome", NOW.plus(Duration.ofDays(30)));
    final HmacOpenTimeTokens tokens = new HmacOpenTimeTokens(new SigningKeys("k1", Map.of("k1", K1)), InstantSource.fixed(NOW));

    @Test
    void aTokenVerifiesToTheClaimItWasIssuedFor() {
        assertThat(tokens.verify(tokens.issue(claim))).contains(new OpenTimeClaim("p_42", "m_7", "ot-feed:welcome",
                Instant.ofEpochSecond(claim.expiresAt().getEpochSecond())));
    }

    @Test
    void aTokenCarriesNoEmailAddressOrName() {
        String t = tokens.issue(claim);
        String decoded = new String(Base64.getUrlDecoder().decode(t.substring(0, t.indexOf('.'))), StandardCharsets.US_ASCII);
        assertThat(decoded).doesNotContain("@");
        assertThat(t).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void aForgedSignatureIsRejected() {
        String t = tokens.issue(claim);
        char last = t.charAt(t.length() - 2);
        String forged = t.substring(0, t.length() - 2) + (last == 'A' ? 'B' : 'A') + t.charAt(t.length() - 1);
        assertThat(tokens.verify(forged)).isEmpty();
        HmacOpenTimeTokens otherKey = new HmacOpenTimeTokens(new SigningKeys("k1", Map.of("k1", K2)), InstantSource.fixed(NOW));
        assertThat(tokens.verify(otherKey.issue(claim))).isEmpty();
    }

    @Test
    void aTokenReusedForAnotherProfileOrPurposeIsRejected() {
        String t = tokens.issue(claim);
        String payload = new String(Base64.getUrlDecoder().decode(t.substring(0, t.indexOf('.'))), StandardCharsets.US_ASCII);
        for (String swapped : new String[] {payload.replace("p_42", "p_43"), payload.replace("ot-feed:", "ot-img:"),
                payload.replace("m_7", "m_8")}) {
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(swapped.getBytes(StandardCharsets.US_ASCII))
                    + t.substring(t.indexOf('.'));
            assertThat(tokens.verify(tampered)).as(swapped).isEmpty();
        }
    }

    @Test
    void anExpiredTokenIsRejectedFromItsExpirySecondOn() {
        String t = tokens.issue(OpenTimeClaim.feed("p_42", "m_7", "welcome", NOW.plusSeconds(60)));
        assertThat(new HmacOpenTimeTokens(new SigningKeys("k1", Map.of("k1", K1)), InstantSource.fixed(NOW.plusSeconds(59))).verify(t)).isPresent();
        assertThat(new HmacOpenTimeTokens(new SigningKeys("k1", Map.of("k1", K1)), InstantSource.fixed(NOW.plusSeconds(60))).verify(t)).isEmpty();
    }

    @Test
    void everyTruncationOfATokenIsRejected() {
        String t = tokens.issue(claim);
        for (int i = 0; i < t.length(); i++) {
            assertThat(tokens.verify(t.substring(0, i))).as("prefix %d", i).isEmpty();
            assertThat(tokens.verify(t.substring(i + 1))).as("suffix from %d", i + 1).isEmpty();
        }
    }

    @Test
    void rotationKeepsOldTokensValidUntilTheOldKeyIsRemoved() {
        String old = tokens.issue(claim);
        HmacOpenTimeTokens rotated = new HmacOpenTimeTokens(new SigningKeys("k2", Map.of("k1", K1, "k2", K2)), InstantSource.fixed(NOW));
        HmacOpenTimeTokens retired = new HmacOpenTimeTokens(new SigningKeys("k2", Map.of("k2", K2)), InstantSource.fixed(NOW));

        assertThat(rotated.verify(old)).isPresent();
        assertThat(rotated.verify(rotated.issue(claim))).isPresent();
        assertThat(retired.verify(old)).isEmpty();
        assertThat(retired.verify(rotated.issue(claim))).isPresent();
    }

    @Test
    void garbageNeverThrows() {
        for (String g : new String[] {"", ".", "..", "a.b", "%00.%00", "x".repeat(5000), "YQ.YQ", "djE.", "'; drop table x;--"}) {
            assertThat(tokens.verify(g)).as(g).isEmpty();
        }
    }
}
