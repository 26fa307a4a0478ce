package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.delivery.Outbox;
import io.tessera.delivery.Outbox.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Outbox} adapter must do, on its real technology: raw MIME kept byte for byte,
 * one entry per Message-ID (the first wins), listed in arrival order, by campaign, paged by seq.
 */
public abstract class OutboxContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final byte[] RAW = "Subject: hi\r\n\r\nbody \u00e9\r\n".getBytes(StandardCharsets.UTF_8);

    private final List<Outbox> opened = Collections.synchronizedList(new ArrayList<>());

    /** An outbox on this test's storage; opening again must see the same messages. */
    protected abstract Outbox open();

    protected final Outbox outbox() {
        Outbox o = open();
        opened.add(o);
        return o;
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(Outbox::close);
    }

    @Test
    void keepsRawMimeListsByCampaignAndIgnoresADuplicateMessageId() {
        Outbox outbox = outbox();
        outbox.put(new Entry(0, "m1@x", "c1", "ann@example.com", "hi", T0, RAW));
        outbox.put(new Entry(0, "m1@x", "c1", "ann@example.com", "other", T0, new byte[0]));
        outbox.put(new Entry(0, "m2@x", "c2", "bob@example.com", "hi", T0.plusSeconds(1), RAW));
        outbox.put(new Entry(0, "m3@x", "c1", "cy@example.com", "hi", T0.plusSeconds(2), RAW));

        Outbox reopened = outbox();
        assertThat(reopened.find("m1@x")).get().satisfies(e -> {
            assertThat(e.rawMime()).isEqualTo(RAW);
            assertThat(e.subject()).isEqualTo("hi");
            assertThat(e.to()).isEqualTo("ann@example.com");
            assertThat(e.at()).isEqualTo(T0);
            assertThat(e.seq()).isPositive();
        });
        assertThat(reopened.find("missing@x")).isEmpty();
        assertThat(reopened.list(Optional.of("c1"), 0, 10)).extracting(Entry::messageId).containsExactly("m1@x", "m3@x");
        assertThat(reopened.count(Optional.empty())).isEqualTo(3);
        assertThat(reopened.count(Optional.of("c1"))).isEqualTo(2);
        List<Entry> firstPage = reopened.list(Optional.empty(), 0, 2);
        assertThat(firstPage).extracting(Entry::messageId).containsExactly("m1@x", "m2@x");
        assertThat(reopened.list(Optional.empty(), firstPage.get(1).seq(), 2)).extracting(Entry::messageId).containsExactly("m3@x");
    }
}
