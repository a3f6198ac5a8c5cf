-- OAuth clients registered through /v1/oauth-clients (clients of latch.auth.clients.* stay configuration).
-- The id is generated (22 base64url characters); a confidential client keeps only the SHA-256 of its secret,
-- a public client has none. Lists are text arrays, read and written with their row (looked up by id only);
-- ids sort bytewise (COLLATE "C"), so the list pages by id in the order a client sees.
CREATE TABLE oauth_clients (
    client_id                  varchar(64)   COLLATE "C" PRIMARY KEY,
    name                       varchar(200)  NOT NULL,
    type                       varchar(16)   NOT NULL CHECK (type IN ('confidential', 'public')),
    secret_hash                bytea,
    redirect_uris              text[]        NOT NULL DEFAULT '{}',
    post_logout_redirect_uris  text[]        NOT NULL DEFAULT '{}',
    grant_types                text[]        NOT NULL DEFAULT '{}',
    scopes                     text[]        NOT NULL DEFAULT '{}',
    first_party                boolean       NOT NULL DEFAULT false,
    require_par                boolean       NOT NULL DEFAULT false,
    backchannel_logout_uri     varchar(2048),
    created_at                 timestamptz   NOT NULL,
    updated_at                 timestamptz   NOT NULL,
    CONSTRAINT oauth_clients_secret_by_type CHECK ((type = 'confidential') = (secret_hash IS NOT NULL))
);
