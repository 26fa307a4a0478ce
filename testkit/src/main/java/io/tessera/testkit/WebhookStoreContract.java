package io.tessera.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.webhook.WebhookStore;
import io.tessera.webhook.WebhookStore.Delivery;
import io.tessera.webhook.WebhookStore.NewDelivery;
import io.tessera.webhook.WebhookStore.Outcome;
import io.tessera.webhook.WebhookStore.Status;
import io.tessera.webhook.WebhookSubscription;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WebhookStore} adapter must do: subscriptions kept and replaced by id; the queue
 * and a source's cursor moved together; due deliveries oldest first; an attempt recorded as
 * delivered, retried later or dead; dead letters newest first and revivable; deleting a
 * subscription drops its pending deliveries but keeps its dead letters.
 */
public abstract class WebhookStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    /** A webhook store on this test's storage; opening again must see the same state. */
    protected abstract WebhookStore open();

    private static WebhookSubscription sub(String id, String url) {
        return new WebhookSubscription(id, url, "secret-" + id, Set.of("segment.entered", "segment.exited"), T0);
    }

    private static NewDelivery delivery(String sub, String event, Instant due) {
        return new NewDelivery(sub, event, "segment.entered", "{\"id\":\"" + event + "\"}", due);
    }

    @Test
    void subscriptionsAreKeptReplacedByIdAndDeleted() {
        WebhookStore store = open();
        store.save(sub("wh1", "https://a.example.com/hook"));
        store.save(sub("wh2", "https://b.example.com/hook"));
        store.save(sub("wh1", "https://a.example.com/v2"));

        WebhookStore reopened = open();
        assertThat(reopened.subscription("wh1")).contains(sub("wh1", "https://a.example.com/v2"));
        assertThat(reopened.subscriptions()).extracting(WebhookSubscription::id).containsExactly("wh1", "wh2");
        assertThat(reopened.delete("wh2")).isTrue();
        assertThat(reopened.delete("wh2")).isFalse();
        assertThat(reopened.subscription("wh2")).isEmpty();
    }

    @Test
    void deliveriesAreQueuedWithTheCursorAttemptedAndDeadLettersRevived() {
        WebhookStore store = open();
        store.save(sub("wh1", "https://a.example.com/hook"));
        assertThat(store.cursor("memberships")).isEmpty();
        store.enqueue(List.of(delivery("wh1", "e1", T0), delivery("wh1", "e2", T0.plusSeconds(1)),
                delivery("wh1", "e3", T0.plusSeconds(3600))), "memberships", 3);
        assertThat(store.cursor("memberships")).contains(3L);

        List<Delivery> due = open().due(T0.plusSeconds(10), 10);
        assertThat(due).extracting(Delivery::eventId).containsExactly("e1", "e2");
        assertThat(due.getFirst().status()).isEqualTo(Status.PENDING);
        assertThat(due.getFirst().body()).isEqualTo("{\"id\":\"e1\"}");

        Instant t1 = T0.plusSeconds(20);
        store.attempted(due.get(0).id(), 1, new Outcome(true, 200, Optional.empty()), Optional.empty(), t1);
        store.attempted(due.get(1).id(), 1, new Outcome(false, 503, Optional.of("HTTP 503")), Optional.of(T0.plusSeconds(30)), t1);
        assertThat(store.due(T0.plusSeconds(25), 10)).isEmpty();
        Delivery retried = store.due(T0.plusSeconds(30), 10).getFirst();
        assertThat(retried.eventId()).isEqualTo("e2");
        assertThat(retried.attempts()).isEqualTo(1);
        assertThat(retried.lastError()).contains("HTTP 503");

        store.attempted(retried.id(), 2, new Outcome(false, 500, Optional.of("HTTP 500")), Optional.empty(), T0.plusSeconds(40));
        assertThat(store.deadLetters(10)).extracting(Delivery::eventId).containsExactly("e2");
        assertThat(store.deadLetters(10).getFirst().status()).isEqualTo(Status.DEAD);
        assertThat(store.revive(retried.id(), T0.plusSeconds(50))).isTrue();
        assertThat(store.revive(retried.id(), T0.plusSeconds(50))).as("no longer dead").isFalse();
        Delivery revived = store.due(T0.plusSeconds(50), 10).getFirst();
        assertThat(revived.eventId()).isEqualTo("e2");
        assertThat(revived.attempts()).isZero();
    }

    @Test
    void deletingASubscriptionDropsItsPendingDeliveriesButKeepsItsDeadLetters() {
        WebhookStore store = open();
        store.save(sub("wh1", "https://a.example.com/hook"));
        store.enqueue(List.of(delivery("wh1", "e1", T0), delivery("wh1", "e2", T0)), "memberships", 2);
        Delivery first = store.due(T0, 1).getFirst();
        store.attempted(first.id(), 1, new Outcome(false, 410, Optional.of("HTTP 410")), Optional.empty(), T0);

        assertThat(store.delete("wh1")).isTrue();
        assertThat(store.due(T0.plusSeconds(3600), 10)).isEmpty();
        assertThat(store.deadLetters(10)).extracting(Delivery::eventId).containsExactly(first.eventId());
    }
}
