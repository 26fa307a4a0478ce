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
        public void close() {
        }
    };
}
