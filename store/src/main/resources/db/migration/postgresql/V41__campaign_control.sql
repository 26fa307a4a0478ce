-- Pause / resume / cancel (PostgresCampaignStore, PostgresCampaignRuns): a campaign's state apart from its
-- definition's versions (no row = active), and how many recipients a cancel left unsent per closed run.
CREATE TABLE campaign_state (
  campaign text COLLATE "C" PRIMARY KEY, state text NOT NULL, since bigint NOT NULL);
ALTER TABLE campaign_run ADD COLUMN not_sent bigint;
