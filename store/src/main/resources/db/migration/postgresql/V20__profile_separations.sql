-- Reversed merges (ProfileStore#separations): pairs an admin separated; the engine never merges
-- them again. Kept by ProfileStore#clear (a rebuild honours them). Numbered apart from the
-- sequence other stores extend.
CREATE TABLE profile_separations (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, merge_id text NOT NULL UNIQUE,
  from_id text NOT NULL, into_id text NOT NULL, at text NOT NULL);
