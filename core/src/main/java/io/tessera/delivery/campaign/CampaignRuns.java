package io.tessera.delivery.campaign;

import java.time.Instant;
import java.util.List;

/**
 * Which campaign runs were started and are not finished yet, kept durably so that a node that
 * stopped (or was killed) mid-campaign resumes them at start-up; the send ledger then makes the
 * resumed run skip everyone already handled, so the campaign completes with no duplicate and no
 * gap. A recurring schedule is kept as one open entry with scope {@code key@recurring}.
 * Adapter: {@code store.sqlite.SqliteCampaignRuns}. Thread-safe.
 */
public interface CampaignRuns extends AutoCloseable {

    /** Records a run as open (again), due at {@code due}. */
    void open(String campaign, String scope, Instant due);

    /** Marks a run finished: every recipient was decided. */
    void finish(String scope);

    /** Every open run, oldest due first. */
    List<Run> openRuns();

    /** Whether this run was opened and has since finished (or was cancelled). */
    boolean finished(String scope);

    /**
     * Closes a run of a cancelled campaign (recording it if it was never opened), with how many of
     * its recipients were never sent because of the cancel. Repeating it for a scope replaces the count.
     */
    void cancel(String campaign, String scope, long notSent);

    /** How many recipients the campaign's cancelled runs did not send, summed over its runs. */
    long notSent(String campaign);

    @Override
    void close();

    record Run(String campaign, String scope, Instant due) {}

    /** Keeps nothing: runs are not resumed after a restart (tests of the routes alone). */
    CampaignRuns NONE = new CampaignRuns() {
        @Override
        public void open(String campaign, String scope, Instant due) {
        }

        @Override
        public void finish(String scope) {
        }

        @Override
        public List<Run> openRuns() {
            return List.of();
        }

        @Override
        public boolean finished(String scope) {
            return false;
        }

        @Override
        public void cancel(String campaign, String scope, long notSent) {
        }

        @Override
        public long notSent(String campaign) {
            return 0;
        }

        @Override
        public void close() {
        }
    };
}
