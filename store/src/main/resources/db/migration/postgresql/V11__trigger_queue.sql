-- Pending triggered sends (PostgresTriggerQueue): one row per (campaign, profile, segment entry).
CREATE TABLE trigger_due (
  campaign text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL, entered_at bigint NOT NULL,
  due_at bigint NOT NULL, PRIMARY KEY (campaign, profile_id, entered_at));
CREATE INDEX trigger_due_at ON trigger_due (due_at);
