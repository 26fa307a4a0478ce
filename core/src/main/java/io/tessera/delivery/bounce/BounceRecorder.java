package io.tessera.delivery.bounce;

import io.tessera.delivery.SendKey;
import io.tessera.delivery.SendLedger;
import io.tessera.delivery.Suppression;
import io.tessera.delivery.SuppressionList;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Where every bounce takes effect, whatever brought it (the relay's reply during a send, a DSN
 * from the bounce mailbox, a provider's webhook):
 * <ol>
 *   <li>find the (campaign run, profile): given by the source, or by our Message-ID in the send ledger;</li>
 *   <li>hard bounces and complaints put the address on the suppression list (first reason wins);</li>
 *   <li>a bounce that arrives after the relay had accepted the message (a DSN, a webhook) turns
 *       the ledger row from DELIVERED to BOUNCED, so campaign stats count it;</li>
 *   <li>the event goes to the profile through {@link BounceEvents}.</li>
 * </ol>
 * Idempotent: recording the same bounce again changes nothing (suppression keeps its first reason,
 * the ledger row is already BOUNCED, the events port dedupes). Stateless; thread-safe.
 */
public final class BounceRecorder {

    private final SuppressionList suppressions;
    private final SendLedger ledger;
    private final BounceEvents events;
    private final InstantSource clock;

    public BounceRecorder(SuppressionList suppressions, SendLedger ledger, BounceEvents events, InstantSource clock) {
        this.suppressions = suppressions;
        this.ledger = ledger;
        this.events = events;
        this.clock = clock;
    }

    /** What recording one bounce did. */
    public record Outcome(Optional<SendKey> key, boolean suppressed, boolean ledgerUpdated) {}

    public Outcome record(Bounce bounce) {
        Optional<SendKey> key = bounce.key();
        boolean ledgerUpdated = false;
        if (key.isEmpty() && bounce.messageId().isPresent()) {
            Optional<SendLedger.Row> row = ledger.findByMessageId(bounce.messageId().get());
            key = row.map(SendLedger.Row::key);
            if (row.isPresent() && bounce.type() != Bounce.Type.COMPLAINT && row.get().stage() == SendLedger.Stage.DELIVERED) {
                ledger.confirm(row.get().key(), SendLedger.Stage.BOUNCED,
                        bounce.type().wireName() + " " + bounce.status() + " " + bounce.reason(), clock.instant());
                ledgerUpdated = true;
            }
        }
        boolean suppressed = false;
        if (bounce.suppresses() && !bounce.address().isBlank()) {
            suppressions.suppress(new Suppression(bounce.address(),
                    bounce.type() == Bounce.Type.COMPLAINT ? Suppression.Reason.COMPLAINT : Suppression.Reason.HARD_BOUNCE,
                    bounce.at(), (bounce.source() + " " + bounce.status() + " " + bounce.reason()).strip()));
            suppressed = true;
        }
        events.record(bounce, key);
        return new Outcome(key, suppressed, ledgerUpdated);
    }
}
