-- Quality settings (PostgresQualitySettingsStore): one row per document (settings JSON, taxonomy CSV).
CREATE TABLE quality_settings (name text PRIMARY KEY, body text NOT NULL);
