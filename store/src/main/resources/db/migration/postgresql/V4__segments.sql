-- Segments (PostgresSegmentDefinitionStore, PostgresMembershipStore, PostgresWindowTimerStore).
CREATE TABLE segment_version (
  segment text COLLATE "C" NOT NULL, version integer NOT NULL, name text NOT NULL, condition text NOT NULL,
  saved_at bigint NOT NULL, PRIMARY KEY (segment, version));
CREATE TABLE segment_deleted (segment text COLLATE "C" PRIMARY KEY);

-- current members, keyed by segment then profile: member pages and counts are index range scans
CREATE TABLE segment_member (
  segment text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL, since bigint NOT NULL,
  PRIMARY KEY (segment, profile_id));
CREATE INDEX segment_member_profile ON segment_member (profile_id);

-- every enter and exit with its cause, in the order applied
CREATE TABLE segment_membership_log (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, segment text NOT NULL, version integer NOT NULL,
  profile_id text NOT NULL, entered boolean NOT NULL, at bigint NOT NULL, cause text NOT NULL);
CREATE INDEX segment_membership_log_profile ON segment_membership_log (profile_id, seq);
CREATE INDEX segment_membership_log_segment ON segment_membership_log (segment);

-- per log partition, the offset through which the memberships reflect the profile store
CREATE TABLE segment_position (log_partition integer PRIMARY KEY, applied_through bigint NOT NULL);

-- window timers: one per profile, due time in microseconds since the epoch (rounded up)
CREATE TABLE segment_timer (profile_id text PRIMARY KEY, due_at bigint NOT NULL);
CREATE INDEX segment_timer_due ON segment_timer (due_at);
