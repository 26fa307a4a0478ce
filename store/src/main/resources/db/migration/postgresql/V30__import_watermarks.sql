-- Incremental imports: the watermark of each import source (PostgresImportWatermarkStore).
CREATE TABLE import_watermarks (source text COLLATE "C" PRIMARY KEY, watermark text NOT NULL);
