-- a DSN or bounce webhook names our Message-ID; this finds its (campaign, profile)
CREATE INDEX send_ledger_message ON send_ledger (message_id);
