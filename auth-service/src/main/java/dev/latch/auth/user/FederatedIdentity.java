package dev.latch.auth.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A user's account at an external provider: (provider, subject) is the stable link. */
@Entity
@Table(name = "federated_identities")
public class FederatedIdentity extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "user_id")
    public UUID userId;
    public String provider;
    public String subject;
    public String email;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<FederatedIdentity> find(String provider, String subject) {
        return find("provider = ?1 and subject = ?2", provider, subject).firstResultOptional();
    }
}
