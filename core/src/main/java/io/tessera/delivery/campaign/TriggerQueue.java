package io.tessera.delivery.campaign;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable pending sends of triggered campaigns: one entry per (campaign, profile, segment entry),
 * due at the entry time plus the trigger's delay. Written when a profile enters a trigger segment,
 * removed once the send is decided (sent, skipped, left the segment); survives restarts, so a
 * delay of two days is not lost to a deploy. Adapter: {@code store.sqlite.SqliteTriggerQueue}.
 * Thread-safe; every method returns once its change is durable.
 */
public interface TriggerQueue extends AutoCloseable {

    /** Adds entries; an entry already queued (same campaign, profile and entry time) is kept as it is. */
    void schedule(List<Entry> entries);

    /** Entries due at or before {@code now}, earliest first, at most {@code limit}. */
    List<Entry> dueBy(Instant now, int limit);

    /** The earliest due time of any entry. */
    Optional<Instant> next();

    /** Moves an entry to a later due time (deferred by quiet hours, local send time or a relay outage). */
    void reschedule(Entry entry, Instant due);

    void remove(Entry entry);

    /** Entries waiting for a campaign (for its status). */
    long pending(String campaign);

    @Override
    void close();

    /**
     * One pending triggered send.
     *
     * @param entered when the profile entered the trigger segment; part of the ledger scope, so a
     *                profile that leaves and enters again can be sent to again
     */
    record Entry(String campaign, String profileId, Instant entered, Instant due) {
        /** The send ledger scope of this entry: {@code campaign#entered}. */
        public String scope() {
            return campaign + "#" + entered;
        }
    }
}
