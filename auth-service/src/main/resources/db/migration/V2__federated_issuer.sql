-- A federated identity is keyed by the provider instance that asserted the subject (the broker's
-- immutable provider identity), not only by the provider's id: a provider re-created under the same
-- id for another issuer never maps its subjects onto existing accounts. Rows from before this
-- migration have no issuer; the next login through their provider records it.
ALTER TABLE federated_identities ADD COLUMN issuer varchar(2048);
ALTER TABLE federated_identities DROP CONSTRAINT federated_identities_provider_subject_key;
CREATE UNIQUE INDEX federated_identities_provider_issuer_subject_uq
    ON federated_identities (provider, coalesce(issuer, ''), subject);
