-- The cluster's segment backfills (PartitionBackfills, PostgresBackfillLedger): one row per
-- (segment, version, log partition), opened by the node that saved the version, marked done by
-- the partition's owner once its membership writes are durable; a new owner finds the open rows.
CREATE TABLE segment_backfill (
    segment       text    NOT NULL,
    version       integer NOT NULL,
    log_partition integer NOT NULL,
    done          boolean NOT NULL DEFAULT false,
    profiles      bigint  NOT NULL DEFAULT 0,
    node          text    NOT NULL DEFAULT '',
    PRIMARY KEY (segment, version, log_partition)
);
CREATE INDEX segment_backfill_open ON segment_backfill (log_partition) WHERE NOT done;
