-- Tracking plans (PostgresTrackingPlanStore): one row per version; a deletion is a row with deleted.
CREATE TABLE tracking_plans (
  event text COLLATE "C" NOT NULL, version integer NOT NULL, schema text NOT NULL, mode text NOT NULL,
  deleted boolean NOT NULL DEFAULT false, PRIMARY KEY (event, version));

-- The data dictionary (PostgresDataDictionary): first/last seen as fixed-width UTC text, so
-- least/greatest order them as time at full nanosecond precision.
CREATE TABLE data_dictionary (
  event text COLLATE "C" NOT NULL, property text COLLATE "C" NOT NULL, type text COLLATE "C" NOT NULL,
  count bigint NOT NULL, first_seen text COLLATE "C" NOT NULL, last_seen text COLLATE "C" NOT NULL,
  PRIMARY KEY (event, property, type));
CREATE TABLE data_dictionary_offsets (partition integer PRIMARY KEY, last_offset bigint NOT NULL);
