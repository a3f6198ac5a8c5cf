-- identity-provider-service schema: configured identity providers (client secrets encrypted at rest)

CREATE TABLE identity_providers (
    id                 varchar(64)   PRIMARY KEY,
    kind               varchar(16)   NOT NULL,
    title              varchar(200)  NOT NULL,
    client_id          varchar(512),
    client_secret_enc  bytea,
    issuer             varchar(2048),
    tenant             varchar(255),
    base_url           varchar(2048),
    authorization_url  varchar(2048),
    token_url          varchar(2048),
    user_info_url      varchar(2048),
    scopes             varchar(1024) NOT NULL DEFAULT '',
    pkce               boolean       NOT NULL DEFAULT true,
    enabled            boolean       NOT NULL DEFAULT true,
    field_mapping      jsonb         NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz   NOT NULL,
    updated_at         timestamptz   NOT NULL
);
