package io.tessera.delivery.campaign;

import java.time.Instant;
import java.util.List;

/**
 * Campaign send work shared by the nodes of a cluster. A campaign run pages its audience into
 * {@link SendJob}s ({@link #enqueue}); every node takes some of them ({@link #consume}) and runs
 * the send pipeline for each. A job may be handed out again (a node dies before recording that it
 * handled it): the send ledger's claim is what makes a recipient get the mail at most once.
 * Adapter: {@code log.kafka.KafkaSendJobQueue} (a {@code send-jobs} topic keyed by profile id,
 * consumed in one group). The embedded mode needs no queue: its dispatcher sends a run itself.
 */
public interface SendJobQueue extends AutoCloseable {

    /** Adds jobs; returns once they are durable (so the run may be marked enqueued). */
    void enqueue(List<SendJob> jobs);

    /** Starts taking this node's share of the jobs and handing each to {@code handler}. */
    void consume(Handler handler);

    /**
     * Whether this node fires the scheduled work named {@code key} (a campaign run's scope) now:
     * it owns the queue partition the key maps to. Ownership moves with the partition when nodes
     * join, leave or die, so a schedule fires on one node and moves with its partition; false
     * until this node {@link #consume}s.
     */
    boolean owns(String key);

    @Override
    void close();

    /** Runs one job; a narrow view of the dispatcher. */
    @FunctionalInterface
    interface Handler {
        /**
         * Sends (or skips, or defers) one job. A {@link SendOutcome.Deferred} outcome makes the
         * queue offer the job again at or after its {@code notBefore}; any other outcome is final.
         */
        SendOutcome handle(SendJob job);
    }

    /** When a deferred job is offered again: its own time, at least {@code minimum} from now. */
    static Instant retryAt(SendOutcome.Deferred d, Instant now, java.time.Duration minimum) {
        Instant floor = now.plus(minimum);
        return d.notBefore().isAfter(floor) ? d.notBefore() : floor;
    }
}
