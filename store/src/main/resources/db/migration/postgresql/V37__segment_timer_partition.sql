-- window timers move with the log partitions: each is filed under the partition of its profile's
-- events, and a node fires only the timers of the partitions it owns (docs/SCALE-OUT.md, "Timers")
ALTER TABLE segment_timer ADD COLUMN log_partition integer NOT NULL DEFAULT 0;
CREATE INDEX segment_timer_partition_due ON segment_timer (log_partition, due_at);
