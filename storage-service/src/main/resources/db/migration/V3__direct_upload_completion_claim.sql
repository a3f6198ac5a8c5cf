-- One completion of a direct upload at a time, across replicas: a completion claims the upload with a
-- random token until completion_lease_until (a completion whose replica died is taken over after that),
-- and only the holder of the claim turns it into an attachment.
ALTER TABLE direct_uploads ADD COLUMN completion_claim varchar(32);
ALTER TABLE direct_uploads ADD COLUMN completion_lease_until timestamptz;
