package io.tessera.webhook;

import java.util.List;

/**
 * A durable, ordered feed of events the dispatcher turns into deliveries. Positions increase;
 * the dispatcher stores how far it has read per source, in the same transaction as the deliveries
 * it queued, so a crash neither loses nor duplicates a fan-out.
 */
public interface WebhookSource {
    /** A stable name, the key of this source's cursor. */
    String name();

    /** The latest position now (where a source starts the first time it is seen, so history is not sent). */
    long latest();

    /** Events after {@code position}, oldest first, at most {@code limit}. */
    List<WebhookEvent> after(long position, int limit);
}
