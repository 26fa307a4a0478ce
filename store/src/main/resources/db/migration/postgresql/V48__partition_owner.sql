-- Owner epochs (PostgresOwnerEpochs): a node that is assigned a log partition increments its
-- epoch; the segment writes it makes (memberships, timers, positions) check, in their own
-- transaction and under a share lock on the row, that the epoch is still the one it claimed, so a
-- fenced-out node's late writes are rolled back instead of landing over its successor's.
CREATE TABLE partition_owner (log_partition integer PRIMARY KEY, epoch bigint NOT NULL);
