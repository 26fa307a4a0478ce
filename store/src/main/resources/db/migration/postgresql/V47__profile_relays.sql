-- Cross-partition merges (PostgresProfileStore; docs/SCALE-OUT.md, "Identity merges across partitions").
-- profile_relays: the relay records a partition's commit decided (merge requests, hand-offs with the
-- loser's state, forwarded events), written in that commit's transaction and deleted once the log
-- has them: an outbox that a partition's next owner sends again.
CREATE TABLE profile_relays (
  message_id text PRIMARY KEY, log_partition integer NOT NULL, route_key text NOT NULL, body bytea NOT NULL);
CREATE INDEX profile_relays_by_partition ON profile_relays (log_partition);
-- profile_relays_applied: the relay records each partition applied (partition:messageId), written with
-- the commit that applied them, so a record sent twice takes effect once.
CREATE TABLE profile_relays_applied (relay_key text PRIMARY KEY);
