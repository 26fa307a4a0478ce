-- Outbound webhooks (PostgresWebhookStore): subscriptions, each source's fan-out cursor and the
-- delivery queue (dead rows are the dead-letter list). One delivery per (subscription, event):
-- nodes that fan out the same range concurrently insert it once.
CREATE TABLE webhook_subscription (
  id text COLLATE "C" PRIMARY KEY, url text NOT NULL, secret text NOT NULL, events text NOT NULL, created_at bigint NOT NULL);
CREATE TABLE webhook_cursor (source text PRIMARY KEY, position bigint NOT NULL);
CREATE TABLE webhook_delivery (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subscription_id text NOT NULL, event_id text NOT NULL,
  event_type text NOT NULL, body text NOT NULL, attempts int NOT NULL DEFAULT 0, status text NOT NULL,
  next_attempt_at bigint NOT NULL, last_error text, updated_at bigint NOT NULL,
  UNIQUE (subscription_id, event_id));
CREATE INDEX webhook_delivery_due ON webhook_delivery (status, next_attempt_at);

-- Template block library (PostgresBlockStore): immutable versions, the block as JSON.
CREATE TABLE block_version (block text COLLATE "C" NOT NULL, version int NOT NULL, body text NOT NULL,
  PRIMARY KEY (block, version));
