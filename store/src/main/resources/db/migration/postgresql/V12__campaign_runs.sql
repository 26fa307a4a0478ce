-- Open campaign runs (PostgresCampaignRuns): resumed at start-up until finished.
CREATE TABLE campaign_run (
  scope text COLLATE "C" PRIMARY KEY, campaign text NOT NULL, due_at bigint NOT NULL, finished boolean NOT NULL);
