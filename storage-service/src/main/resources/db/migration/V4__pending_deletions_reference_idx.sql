-- The consistency check (GET /api/v1/storage/consistency) looks blobs up among the pending deletions by
-- reference, one page of listed objects at a time.
CREATE INDEX pending_deletions_reference_idx ON pending_deletions (storage_type, reference);
