package io.tessera.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable webhook state: subscriptions, the delivery queue, each source's read cursor and the
 * dead letters. Adapters: {@code store.sqlite.SqliteWebhookStore}. Thread-safe.
 */
public interface WebhookStore extends AutoCloseable {

    void save(WebhookSubscription subscription);

    Optional<WebhookSubscription> subscription(String id);

    List<WebhookSubscription> subscriptions();

    /** Removes the subscription and its pending deliveries (dead letters stay, for the record). */
    boolean delete(String id);

    /** Where the dispatcher has read {@code source} to; empty the first time. */
    Optional<Long> cursor(String source);

    /** Queues the deliveries and moves the source's cursor, atomically. */
    void enqueue(List<NewDelivery> deliveries, String source, long cursor);

    /** Pending deliveries due at or before {@code now}, oldest first. */
    List<Delivery> due(Instant now, int limit);

    /** Records an attempt: delivered, retried at {@code nextAttempt}, or dead when that is empty. */
    void attempted(long deliveryId, int attempts, Outcome outcome, Optional<Instant> nextAttempt, Instant now);

    /** Dead deliveries, newest first. */
    List<Delivery> deadLetters(int limit);

    /** Puts a dead delivery back in the queue, due now, with its attempts reset; false if there is no such dead letter. */
    boolean revive(long deliveryId, Instant now);

    @Override
    void close();

    /** A delivery to queue: one event for one subscription. */
    record NewDelivery(String subscriptionId, String eventId, String eventType, String body, Instant dueAt) {}

    /** A queued, delivered or dead delivery. */
    record Delivery(long id, String subscriptionId, String eventId, String eventType, String body, int attempts,
                    Status status, Instant nextAttemptAt, Optional<String> lastError, Instant updatedAt) {}

    /** Where a delivery is. */
    enum Status { PENDING, DELIVERED, DEAD }

    /** The result of one attempt as stored. */
    record Outcome(boolean delivered, int status, Optional<String> error) {}
}
