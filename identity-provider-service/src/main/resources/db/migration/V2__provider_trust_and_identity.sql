-- Security hardening: which emails of a provider may link accounts, whether it may create users,
-- and an immutable identity of each provider row (sent to auth-service as the issuer of its subjects).

ALTER TABLE identity_providers
    ADD COLUMN trust_email            boolean     NOT NULL DEFAULT false,
    ADD COLUMN allowed_email_domains  jsonb,
    ADD COLUMN allow_signup           boolean     NOT NULL DEFAULT false,
    -- never updated: a provider deleted and created again under the same id gets a new one, so the
    -- subjects of another issuer never map onto the accounts linked through the old row
    ADD COLUMN instance_id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    -- set by the first login that reaches auth-service; from then on kind, issuer, tenant and
    -- base_url are fixed
    ADD COLUMN first_login_at         timestamptz;

-- Only Google and GitHub verify the addresses they assert for every account; other kinds are
-- operated by whoever runs the issuer, so their emails link accounts only when an admin says so.
UPDATE identity_providers SET trust_email = true WHERE kind IN ('google', 'github');

ALTER TABLE identity_providers ADD CONSTRAINT identity_providers_instance_id_key UNIQUE (instance_id);
