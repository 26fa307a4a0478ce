-- The send ledger (PostgresSendLedger): the primary key makes a second claim fail in the database.
CREATE TABLE send_ledger (
  campaign text COLLATE "C" NOT NULL, profile_id text COLLATE "C" NOT NULL, message_id text NOT NULL, variant text NOT NULL,
  stage text NOT NULL, reply text NOT NULL DEFAULT '', claimed_at bigint NOT NULL, updated_at bigint NOT NULL,
  PRIMARY KEY (campaign, profile_id));
CREATE INDEX send_ledger_profile ON send_ledger (profile_id, claimed_at);
CREATE INDEX send_ledger_open ON send_ledger (campaign, stage);
