-- Sync sources: inbound webhook sources (PostgresHookSourceStore) and scheduled pulls with their
-- cursors (PostgresPullStore), each in its stored JSON form.
CREATE TABLE hook_sources (name text COLLATE "C" PRIMARY KEY, source text NOT NULL);
CREATE TABLE pulls (name text COLLATE "C" PRIMARY KEY, source text NOT NULL);
CREATE TABLE pull_state (
  name text PRIMARY KEY, cursor text, last_run bigint, last_error text, records bigint NOT NULL);
