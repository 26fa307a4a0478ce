-- History retention (PostgresHistoryRetention) deletes rows older than the configured age in
-- bounded batches: this index finds them without scanning the table.
CREATE INDEX history_by_time ON history (ts_seconds);
