-- Runs once, when the postgres container starts on an empty data volume:
-- one database per service (ARCHITECTURE.md, "Data").
CREATE DATABASE latch_auth;
CREATE DATABASE latch_idp;
CREATE DATABASE latch_storage;
