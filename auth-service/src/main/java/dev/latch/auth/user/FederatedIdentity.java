package dev.latch.auth.user;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A user's account at an external provider: (provider, issuer, subject) is the stable link, where the
 * issuer is the broker's immutable identity of the provider instance.
 */
@Entity
@Table(name = "federated_identities")
public class FederatedIdentity {

    @Id
    public UUID id;

    @Column(name = "user_id")
    public UUID userId;

    public String provider;
    public String subject;
    /** Null only for links made before issuers were recorded; the next login fills it in. */
    public String issuer;

    public String email;

    @Column(name = "created_at")
    public Instant createdAt;
}
