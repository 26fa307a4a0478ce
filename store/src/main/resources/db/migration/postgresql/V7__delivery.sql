-- Campaign definitions (PostgresCampaignStore): every put a new version, as CampaignCodec JSON.
CREATE TABLE campaign_version (
  campaign text COLLATE "C" NOT NULL, version integer NOT NULL, definition text NOT NULL,
  PRIMARY KEY (campaign, version));

-- The outbox (PostgresOutbox): raw MIME per message, unique by Message-ID, listed by seq.
CREATE TABLE outbox (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, message_id text NOT NULL UNIQUE, campaign text NOT NULL,
  to_address text NOT NULL, subject text NOT NULL, at bigint NOT NULL, raw bytea NOT NULL);
CREATE INDEX outbox_campaign ON outbox (campaign, seq);

-- The suppression list (PostgresSuppressionList), keyed by the lower-cased address.
CREATE TABLE suppression (
  address text COLLATE "C" PRIMARY KEY, reason text NOT NULL, since bigint NOT NULL, detail text NOT NULL);
