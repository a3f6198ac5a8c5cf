-- The OpenID Provider: browser sessions (the latch_session cookie), authorization codes, remembered consents
-- and device authorizations. Secrets (cookie values, codes, device codes) are kept only as their SHA-256.

-- one sign-in at the login page; its id is the ID tokens' sid, its secret the cookie's value
CREATE TABLE browser_sessions (
    id           uuid          PRIMARY KEY,
    token_hash   bytea         NOT NULL UNIQUE,
    user_id      uuid          NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amr          varchar(16)   NOT NULL,
    auth_time    timestamptz   NOT NULL,
    created_at   timestamptz   NOT NULL,
    expires_at   timestamptz   NOT NULL,
    revoked_at   timestamptz,
    ip           varchar(64),
    user_agent   varchar(512)
);
CREATE INDEX browser_sessions_user_idx ON browser_sessions (user_id);

-- refresh-token families issued to clients through a browser session end with it (logout)
ALTER TABLE refresh_families ADD COLUMN browser_session_id uuid REFERENCES browser_sessions (id) ON DELETE SET NULL;
CREATE INDEX refresh_families_browser_session_idx ON refresh_families (browser_session_id)
    WHERE browser_session_id IS NOT NULL;

-- single use, 60 s; a row outlives its use so that a second use revokes what the first issued
CREATE TABLE authorization_codes (
    code_hash           bytea         PRIMARY KEY,
    client_id           varchar(128)  NOT NULL,
    user_id             uuid          NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    browser_session_id  uuid          REFERENCES browser_sessions (id) ON DELETE CASCADE,
    redirect_uri        varchar(2048) NOT NULL,
    scope               varchar(1024) NOT NULL,
    nonce               varchar(512),
    code_challenge      varchar(128),
    amr                 varchar(16)   NOT NULL,
    auth_time           timestamptz   NOT NULL,
    created_at          timestamptz   NOT NULL,
    expires_at          timestamptz   NOT NULL,
    used_at             timestamptz,
    refresh_family_id   uuid
);
CREATE INDEX authorization_codes_expires_idx ON authorization_codes (expires_at);
CREATE INDEX authorization_codes_browser_session_idx ON authorization_codes (browser_session_id);

-- what a user allowed a client, remembered until revoked at /v1/users/me/consents
CREATE TABLE consents (
    user_id     uuid          NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id   varchar(128)  NOT NULL,
    scopes      text[]        NOT NULL,
    granted_at  timestamptz   NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- RFC 8628: a CLI's request, approved or denied at {issuer}/device by a signed-in user
CREATE TABLE device_authorizations (
    device_code_hash  bytea         PRIMARY KEY,
    user_code         varchar(16)   NOT NULL UNIQUE,
    client_id         varchar(128)  NOT NULL,
    scope             varchar(1024) NOT NULL,
    created_at        timestamptz   NOT NULL,
    expires_at        timestamptz   NOT NULL,
    interval_seconds  integer       NOT NULL,
    last_polled_at    timestamptz,
    status            varchar(16)   NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'used')),
    user_id           uuid          REFERENCES users (id) ON DELETE CASCADE,
    browser_session_id uuid         REFERENCES browser_sessions (id) ON DELETE CASCADE,
    amr               varchar(16),
    auth_time         timestamptz
);
CREATE INDEX device_authorizations_expires_idx ON device_authorizations (expires_at);
