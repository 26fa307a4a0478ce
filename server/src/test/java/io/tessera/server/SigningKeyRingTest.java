package io.tessera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.tracking.TrackingToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyRingTest {
    @TempDir Path dir;

    TesseraConfig config(Map<String, String> settings) {
        TesseraConfig c = TesseraConfig.forTests(dir, "wk", "at");
        return new TesseraConfig(c.host(), c.port(), c.dataDir(), c.writeKeys(), c.adminToken(), c.ingest(), settings);
    }

    @Test
    void aKeyIsGeneratedOnceKeptPrivateAndLoadedAgain() throws Exception {
        List<TrackingToken.Key> first = SigningKeyRing.load(config(Map.of()));
        assertThat(first).extracting(TrackingToken.Key::id).containsExactly("k1");
        assertThat(first.get(0).secret()).hasSize(32);
        assertThat(SigningKeyRing.load(config(Map.of())).get(0).secret()).isEqualTo(first.get(0).secret());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SecretsFile.FILE)))).isEqualTo("rw-------");
    }

    @Test
    void rotationPutsANewSigningKeyFirstAndRetiringRemovesOnlyOlderKeys() {
        SigningKeyRing.load(config(Map.of()));
        String next = SigningKeyRing.rotate(dir, Instant.parse("2026-11-29T08:00:00Z"));
        assertThat(SigningKeyRing.ids(dir)).containsExactly(next, "k1");
        assertThat(SigningKeyRing.load(config(Map.of()))).extracting(TrackingToken.Key::id).containsExactly(next, "k1");
        assertThatThrownBy(() -> SigningKeyRing.retire(dir, next)).hasMessageContaining("signing key");
        SigningKeyRing.retire(dir, "k1");
        assertThat(SigningKeyRing.ids(dir)).containsExactly(next);
    }

    @Test
    void configuredKeysWinAndMustBeLongEnough() {
        String k = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        assertThat(SigningKeyRing.load(config(Map.of("TRACKING_SIGNING_KEYS", "new:" + k + ",old:" + k))))
                .extracting(TrackingToken.Key::id).containsExactly("new", "old");
        assertThat(dir.resolve(SecretsFile.FILE)).doesNotExist();
        assertThatThrownBy(() -> SigningKeyRing.load(config(Map.of("TRACKING_SIGNING_KEYS", "short:AAAA"))))
                .hasMessageContaining("shorter than 32 bytes");
    }
}
