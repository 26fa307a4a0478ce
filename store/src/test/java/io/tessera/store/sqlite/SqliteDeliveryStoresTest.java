package io.tessera.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.Outbox;
import io.tessera.delivery.Suppression;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDeliveryStoresTest {

    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void suppressionIsCaseInsensitiveAndKeepsTheFirstReason(@TempDir Path dir) {
        try (SqliteSuppressionList list = new SqliteSuppressionList(dir.resolve("tessera.db"))) {
            list.suppress(new Suppression("Ann@Example.com", Suppression.Reason.UNSUBSCRIBE, T0, "one-click"));
            list.suppress(new Suppression("ann@example.com", Suppression.Reason.HARD_BOUNCE, T0, "550"));
            assertThat(list.find("ANN@example.COM")).get().extracting(Suppression::reason).isEqualTo(Suppression.Reason.UNSUBSCRIBE);
            assertThat(list.isSuppressed("bob@example.com")).isFalse();
            assertThat(list.list(10)).hasSize(1);
        }
    }

    @Test
    void outboxKeepsRawMimeListsByCampaignAndIgnoresADuplicateMessageId(@TempDir Path dir) {
        try (SqliteOutbox outbox = new SqliteOutbox(dir.resolve("tessera.db"))) {
            byte[] raw = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
            outbox.put(new Outbox.Entry(0, "m1@x", "c1", "ann@example.com", "hi", T0, raw));
            outbox.put(new Outbox.Entry(0, "m1@x", "c1", "ann@example.com", "other", T0, new byte[0]));
            outbox.put(new Outbox.Entry(0, "m2@x", "c2", "bob@example.com", "hi", T0, raw));
            assertThat(outbox.find("m1@x")).get().satisfies(e -> {
                assertThat(e.rawMime()).isEqualTo(raw);
                assertThat(e.subject()).isEqualTo("hi");
            });
            assertThat(outbox.list(Optional.of("c1"), 0, 10)).extracting(Outbox.Entry::messageId).containsExactly("m1@x");
            assertThat(outbox.count(Optional.empty())).isEqualTo(2);
        }
    }
}
