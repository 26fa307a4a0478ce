package io.tessera.server.cluster;

import io.tessera.profile.ProfileChange;
import io.tessera.profile.ProfileChangeListener;
import io.tessera.profile.ProfileEngine;
import io.tessera.store.postgres.PostgresOwnerEpochs;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a node's owner epochs ({@link PostgresOwnerEpochs}) to the partitions its profile engine is
 * assigned: {@link #claimFirst} registers the listener that claims a partition before any other
 * listener hears of it (before {@code PartitionHandover} repairs it, before a timer of it fires),
 * {@link #releaseLast} the one that gives it up after every other listener — in particular after
 * the segment engine has flushed the writes it made for it — so no write of this node for that
 * partition is ever unchecked while another node may hold it.
 *
 * <p>A claim that fails (the database down) must not throw out of the log's rebalance callback,
 * which would stop delivery for good: the partition is held unclaimed (its segment writes fail)
 * and the claim is retried after each batch, where a failure is an ordinary failed batch.
 */
public final class PartitionClaims {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionClaims.class);

    private PartitionClaims() {
    }

    /** Register before every other listener of {@code engine}. */
    public static void claimFirst(ProfileEngine engine, PostgresOwnerEpochs epochs) {
        engine.addListener(new ProfileChangeListener() {
            @Override
            public void onChange(ProfileChange change) {
            }

            @Override
            public void onPartitionsAssigned(List<Integer> partitions) {
                try {
                    epochs.claim(partitions);
                } catch (RuntimeException outage) {
                    LOG.atWarn().setMessage("claiming the partitions' owner epochs failed; retried after the next batch")
                            .addKeyValue("partitions", partitions).setCause(outage).log();
                }
            }

            @Override
            public void onBatchCommitted(int partition, long lastOffset) {
                epochs.claimPending();
            }
        });
    }

    /** Register after every other listener of {@code engine}. */
    public static void releaseLast(ProfileEngine engine, PostgresOwnerEpochs epochs) {
        engine.addListener(new ProfileChangeListener() {
            @Override
            public void onChange(ProfileChange change) {
            }

            @Override
            public void onPartitionsRevoked(List<Integer> partitions) {
                epochs.release(partitions);
            }
        });
    }
}
