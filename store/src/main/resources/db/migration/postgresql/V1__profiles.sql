-- Profile state (PostgresProfileStore). Profiles are read and written whole as ProfileCodec JSON:
-- nothing queries inside them, so text is cheaper than jsonb (no parse on write).
-- Ids that are paged in order are COLLATE "C" (byte order, as in SQLite) whatever the locale.
CREATE TABLE profiles (id text COLLATE "C" PRIMARY KEY, body text NOT NULL);

CREATE TABLE identity_links (
  kind text NOT NULL, value text NOT NULL, profile_id text NOT NULL,
  PRIMARY KEY (kind, value));
CREATE INDEX identity_links_by_profile ON identity_links (profile_id);

CREATE TABLE history (
  profile_id text NOT NULL, ts_seconds bigint NOT NULL, ts_nanos integer NOT NULL,
  log_offset bigint NOT NULL, body bytea NOT NULL);
CREATE INDEX history_by_profile ON history (profile_id, ts_seconds, ts_nanos, log_offset);

CREATE TABLE merges (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, from_id text NOT NULL, into_id text NOT NULL,
  kind text NOT NULL, value text NOT NULL, at text NOT NULL, message_id text NOT NULL);
CREATE INDEX merges_from ON merges (from_id);
CREATE INDEX merges_into ON merges (into_id);

CREATE TABLE partition_offsets (partition integer PRIMARY KEY, log_offset bigint NOT NULL);
