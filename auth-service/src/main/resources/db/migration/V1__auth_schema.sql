-- auth-service schema: users, federated identities, refresh-token families, PATs, signing keys, audit log

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    username        varchar(32)  NOT NULL UNIQUE,
    email           varchar(320),
    email_verified  boolean      NOT NULL DEFAULT false,
    display_name    varchar(200),
    avatar_url      varchar(2048),
    role            varchar(16)  NOT NULL CHECK (role IN ('ADMIN', 'USER')),
    status          varchar(16)  NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED')),
    password_hash   varchar(512),
    created_at      timestamptz  NOT NULL,
    updated_at      timestamptz  NOT NULL
);
CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE federated_identities (
    id          uuid PRIMARY KEY,
    user_id     uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider    varchar(64)  NOT NULL,
    subject     varchar(255) NOT NULL,
    email       varchar(320),
    created_at  timestamptz  NOT NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX federated_identities_user_idx ON federated_identities (user_id);

-- a family is one sign-in session; every rotation adds a token to it
CREATE TABLE refresh_families (
    id             uuid PRIMARY KEY,
    user_id        uuid         NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id      varchar(128) NOT NULL,
    scope          varchar(1024) NOT NULL DEFAULT '',
    created_at     timestamptz  NOT NULL,
    expires_at     timestamptz  NOT NULL,
    last_used_at   timestamptz  NOT NULL,
    revoked_at     timestamptz,
    revoke_reason  varchar(64),
    ip             varchar(64),
    user_agent     varchar(512)
);
CREATE INDEX refresh_families_user_idx ON refresh_families (user_id);

CREATE TABLE refresh_tokens (
    id            uuid PRIMARY KEY,
    family_id     uuid        NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    token_hash    bytea       NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL,
    rotated_at    timestamptz,
    successor_id  uuid,
    -- the successor's secret encrypted under a key derived from THIS token, so a concurrent
    -- request holding the same token gets the same successor during the grace window
    successor_enc bytea
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

CREATE TABLE personal_access_tokens (
    id            uuid PRIMARY KEY,
    user_id       uuid          NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          varchar(100)  NOT NULL,
    token_hash    bytea         NOT NULL UNIQUE,
    scopes        varchar(1024) NOT NULL DEFAULT '',
    created_at    timestamptz   NOT NULL,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX personal_access_tokens_user_idx ON personal_access_tokens (user_id);

CREATE TABLE signing_keys (
    kid            varchar(128) PRIMARY KEY,
    algorithm      varchar(16)  NOT NULL,
    public_jwk     text         NOT NULL,
    private_key    bytea        NOT NULL,
    created_at     timestamptz  NOT NULL,
    activated_at   timestamptz,
    retired_at     timestamptz
);

CREATE TABLE audit_events (
    id           bigserial PRIMARY KEY,
    type         varchar(128) NOT NULL,
    actor_id     varchar(128),
    actor        varchar(128),
    ip           varchar(64),
    user_agent   varchar(512),
    occurred_at  timestamptz  NOT NULL,
    metadata     jsonb        NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_type_idx ON audit_events (type, id DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, id DESC);
