-- storage-service schema: attachment records (blobs live on the backend each record names)

CREATE TABLE attachments (
    uid           varchar(32)   PRIMARY KEY,
    owner_id      varchar(128)  NOT NULL,
    filename      varchar(255)  NOT NULL,
    content_type  varchar(255)  NOT NULL,
    size          bigint        NOT NULL,
    sha256        varchar(64)   NOT NULL,
    storage_type  varchar(16)   NOT NULL CHECK (storage_type IN ('DATABASE', 'LOCAL', 'S3', 'EXTERNAL')),
    reference     varchar(2048) NOT NULL,
    created_at    timestamptz   NOT NULL
);
CREATE INDEX attachments_owner_idx ON attachments (owner_id, created_at DESC, uid);
