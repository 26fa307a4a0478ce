-- The log partition a profile lives in (its home key's partition, the merge protocol's home),
-- written with the profile by the commit of that partition's batch. NULL: written before this
-- column existed or by a commit not tied to a partition (an admin's reversal); readers that page a
-- partition's profiles (PartitionHandover) include NULL rows and check them themselves.
ALTER TABLE profiles ADD COLUMN home_partition integer;
CREATE INDEX profiles_by_home_partition ON profiles (home_partition, id);
