-- DATABASE backend: a blob is a sequence of fixed-size rows, so it streams both ways (bytea values
-- are read whole by the driver) and a Range request reads only the rows it needs.
CREATE TABLE blob_chunks (
    reference  varchar(64) NOT NULL,
    seq        integer     NOT NULL,
    start_offset bigint    NOT NULL,
    data       bytea       NOT NULL,
    PRIMARY KEY (reference, seq)
);
-- attachments are mostly compressed already (images, PDF, archives): do not try again
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- Runtime settings (one row), seeded from configuration on first start, changed through the API.
CREATE TABLE storage_settings (
    id                    smallint      PRIMARY KEY CHECK (id = 1),
    default_backend       varchar(16)   NOT NULL CHECK (default_backend IN ('DATABASE', 'LOCAL', 'S3')),
    delivery              varchar(16)   NOT NULL CHECK (delivery IN ('PRESIGNED', 'PROXY')),
    max_upload_bytes      bigint        NOT NULL CHECK (max_upload_bytes > 0),
    allowed_types         text          NOT NULL,
    url_ttl_seconds       integer       NOT NULL,
    max_url_ttl_seconds   integer       NOT NULL,
    s3_endpoint           varchar(2048),
    s3_region             varchar(64)   NOT NULL,
    s3_bucket             varchar(255),
    s3_path_style         boolean       NOT NULL,
    s3_access_key_id      varchar(255),
    s3_secret_access_key  bytea,        -- AES-256-GCM, never plaintext
    updated_at            timestamptz   NOT NULL
);

-- Blobs whose record is gone but whose deletion failed (store unreachable): retried until done.
CREATE TABLE pending_deletions (
    id               bigserial     PRIMARY KEY,
    storage_type     varchar(16)   NOT NULL,
    reference        varchar(2048) NOT NULL,
    attempts         integer       NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz   NOT NULL,
    last_error       varchar(255),
    created_at       timestamptz   NOT NULL
);
CREATE INDEX pending_deletions_due_idx ON pending_deletions (next_attempt_at);

-- Direct uploads: a signed PUT (presigned on S3) then a verified completion.
CREATE TABLE direct_uploads (
    id               varchar(32)   PRIMARY KEY,
    uid              varchar(32)   NOT NULL UNIQUE,
    owner_id         varchar(128)  NOT NULL,
    filename         varchar(255)  NOT NULL,
    content_type     varchar(255)  NOT NULL,
    size             bigint        NOT NULL,
    sha256           varchar(64),
    storage_type     varchar(16)   NOT NULL,
    reference        varchar(2048) NOT NULL,
    received         boolean       NOT NULL DEFAULT false,
    created_at       timestamptz   NOT NULL,
    expires_at       timestamptz   NOT NULL
);
CREATE INDEX direct_uploads_expiry_idx ON direct_uploads (expires_at);

-- Migrations between backends: resumable, progress kept here; a lease lets one replica run each.
CREATE TABLE storage_migrations (
    id            varchar(32)   PRIMARY KEY,
    from_type     varchar(16)   NOT NULL,
    to_type       varchar(16)   NOT NULL,
    status        varchar(16)   NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
    done          integer       NOT NULL DEFAULT 0,
    total         integer       NOT NULL DEFAULT 0,
    failed        integer       NOT NULL DEFAULT 0,
    created_at    timestamptz   NOT NULL,
    updated_at    timestamptz   NOT NULL,
    finished_at   timestamptz,
    lease_owner   varchar(64),
    lease_until   timestamptz
);

CREATE TABLE storage_migration_failures (
    migration_id  varchar(32)   NOT NULL REFERENCES storage_migrations (id) ON DELETE CASCADE,
    uid           varchar(32)   NOT NULL,
    reason        varchar(255)  NOT NULL,
    PRIMARY KEY (migration_id, uid)
);
-- at most one migration runs at a time, across all replicas
CREATE UNIQUE INDEX storage_migrations_one_running_idx ON storage_migrations ((true)) WHERE status = 'RUNNING';
