package io.tessera.webhook;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves events from the sources to the subscribers. {@link #feed} reads each source after its
 * cursor and queues one delivery per (event, interested subscription), moving the cursor in the
 * same transaction; {@link #deliverDue} sends the due deliveries (concurrently, on the executor
 * given), signs each attempt afresh, and records delivered / retry-at / dead.
 *
 * <p>Delivery is at least once: a crash after a POST and before its outcome is stored repeats it,
 * so receivers dedupe on {@code X-Tessera-Event-Id}. Order is not guaranteed across retries.
 *
 * <p><b>Threading.</b> One caller at a time (the server's webhook thread); the sends run on the
 * executor, the store writes on the caller's thread.
 */
public final class WebhookDispatcher {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int PAGE = 500;

    private final WebhookStore store;
    private final List<WebhookSource> sources;
    private final WebhookSender sender;
    private final RetrySchedule retries;
    private final InstantSource clock;
    private final Executor sends;

    public WebhookDispatcher(WebhookStore store, List<WebhookSource> sources, WebhookSender sender,
                             RetrySchedule retries, InstantSource clock, Executor sends) {
        this.store = store;
        this.sources = List.copyOf(sources);
        this.sender = sender;
        this.retries = retries;
        this.clock = clock;
        this.sends = sends;
        for (WebhookSource s : this.sources) {
            // A source seen for the first time starts at its end: subscribers get what happens from now on.
            if (store.cursor(s.name()).isEmpty()) {
                store.enqueue(List.of(), s.name(), s.latest());
            }
        }
    }

    /** Queues deliveries for every new event of every source; returns how many events were read. */
    public int feed() {
        int read = 0;
        for (WebhookSource source : sources) {
            List<WebhookEvent> events;
            do {
                long cursor = store.cursor(source.name()).orElseGet(source::latest);
                events = source.after(cursor, PAGE);
                if (events.isEmpty()) {
                    break;
                }
                List<WebhookSubscription> subscribers = store.subscriptions();
                Instant now = clock.instant();
                List<WebhookStore.NewDelivery> queued = new ArrayList<>();
                for (WebhookEvent e : events) {
                    String body = null;
                    for (WebhookSubscription s : subscribers) {
                        if (s.wants(e.type())) {
                            body = body != null ? body : body(e);
                            queued.add(new WebhookStore.NewDelivery(s.id(), e.id(), e.type(), body, now));
                        }
                    }
                }
                store.enqueue(queued, source.name(), events.get(events.size() - 1).position());
                read += events.size();
            } while (events.size() == PAGE);
        }
        return read;
    }

    /** Attempts up to {@code limit} due deliveries; returns how many were attempted. */
    public int deliverDue(int limit) {
        List<WebhookStore.Delivery> due = store.due(clock.instant(), limit);
        Map<String, Optional<WebhookSubscription>> subscribers = new LinkedHashMap<>();
        List<CompletableFuture<WebhookSender.Outcome>> attempts = new ArrayList<>();
        for (WebhookStore.Delivery d : due) {
            Optional<WebhookSubscription> s = subscribers.computeIfAbsent(d.subscriptionId(), store::subscription);
            attempts.add(s.isEmpty()
                    ? CompletableFuture.completedFuture(WebhookSender.Outcome.failure("subscription deleted"))
                    : CompletableFuture.supplyAsync(() -> send(s.get(), d), sends));
        }
        for (int i = 0; i < due.size(); i++) {
            WebhookStore.Delivery d = due.get(i);
            WebhookSender.Outcome o = attempts.get(i).join();
            int n = d.attempts() + 1;
            Instant now = clock.instant();
            Optional<Instant> next = o.delivered() || subscribers.get(d.subscriptionId()).isEmpty()
                    ? Optional.empty() : retries.next(n, now);
            store.attempted(d.id(), n, new WebhookStore.Outcome(o.delivered(), o.status(), o.error()), next, now);
        }
        return due.size();
    }

    private WebhookSender.Outcome send(WebhookSubscription s, WebhookStore.Delivery d) {
        long timestamp = clock.instant().getEpochSecond();
        return sender.post(s.url(), WebhookSignature.headers(s.secret(), timestamp, d.body(), d.eventId(), d.eventType()), d.body());
    }

    /** The JSON body: {@code {"id", "type", "occurredAt", "data"}}. */
    static String body(WebhookEvent e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", e.id());
        out.put("type", e.type());
        out.put("occurredAt", e.occurredAt().toString());
        out.put("data", e.data());
        return JSON.writeValueAsString(out);
    }
}
