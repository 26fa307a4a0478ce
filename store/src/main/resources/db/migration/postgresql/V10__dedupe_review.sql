-- The fuzzy-duplicate review queue (PostgresDedupeReviewQueue): one row per pair id; a decision
-- is an UPDATE … WHERE status = 'pending', so it is taken once.
CREATE TABLE dedupe_review (
  id text COLLATE "C" PRIMARY KEY, profile_a text NOT NULL, profile_b text NOT NULL, score double precision NOT NULL,
  status text NOT NULL, note text NOT NULL, found_at text NOT NULL, decided_at text);
CREATE INDEX dedupe_review_by_status ON dedupe_review (status, score);
