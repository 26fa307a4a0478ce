package io.tessera.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testkit.WebhookStoreContract;
import io.tessera.webhook.WebhookStore;
import io.tessera.webhook.WebhookStore.Delivery;
import io.tessera.webhook.WebhookStore.NewDelivery;
import io.tessera.webhook.WebhookSubscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PostgresWebhookStoreTest extends WebhookStoreContract {
    private final PostgresTestDatabase db = new PostgresTestDatabase();

    @Override
    protected WebhookStore open() {
        return new PostgresWebhookStore(db.get());
    }

    @Test
    void nodesSharingTheStoreQueueAnOverlappingFanOutOnceAndSendEachDueDeliveryOnce() {
        Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
        WebhookStore nodeA = open();
        WebhookStore nodeB = open();
        nodeA.save(new WebhookSubscription("wh1", "https://a.example.com/hook", "secret", Set.of("segment.entered"), t0));
        nodeA.enqueue(List.of(delivery("e1", t0), delivery("e2", t0)), "memberships", 2);
        nodeB.enqueue(List.of(delivery("e2", t0), delivery("e3", t0)), "memberships", 3);
        nodeA.enqueue(List.of(), "memberships", 1); // a late node never moves the cursor back
        assertThat(nodeB.cursor("memberships")).contains(3L);

        List<Delivery> sent = new ArrayList<>(nodeA.due(t0, 2));
        sent.addAll(nodeB.due(t0, 10));
        assertThat(sent).extracting(Delivery::eventId).containsExactlyInAnyOrder("e1", "e2", "e3");
        assertThat(nodeA.due(t0.plusSeconds(PostgresWebhookStore.LEASE_SECONDS - 1), 10)).as("leased").isEmpty();
        assertThat(nodeA.due(t0.plusSeconds(PostgresWebhookStore.LEASE_SECONDS), 10)).as("a node died mid-send: due again")
                .hasSize(3);
    }

    private static NewDelivery delivery(String event, Instant due) {
        return new NewDelivery("wh1", event, "segment.entered", "{}", due);
    }

    @AfterEach
    void dropSchema() {
        db.close();
    }
}
