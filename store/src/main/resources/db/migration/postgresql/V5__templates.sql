-- Template versions (PostgresTemplateStore): the whole version as JSON, rows only ever inserted.
CREATE TABLE template_version (
  template text COLLATE "C" NOT NULL, version integer NOT NULL, body text NOT NULL,
  PRIMARY KEY (template, version));
