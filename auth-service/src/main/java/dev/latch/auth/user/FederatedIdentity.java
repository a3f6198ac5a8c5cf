package dev.latch.auth.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A user's account at an external provider: (provider, issuer, subject) is the stable link, where the
 * issuer is the broker's immutable identity of the provider instance.
 */
@Entity
@Table(name = "federated_identities")
public class FederatedIdentity extends PanacheEntityBase {

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

    /**
     * The link for this subject at this provider instance. A link recorded without an issuer (before
     * issuers were stored) matches any issuer once; {@link dev.latch.auth.user.UserService} then records it.
     */
    public static Optional<FederatedIdentity> findLink(String provider, String issuer, String subject) {
        if (issuer == null) {
            return find("provider = ?1 and subject = ?2 and issuer is null", provider, subject)
                    .firstResultOptional();
        }
        return find(
                        "provider = ?1 and subject = ?2 and (issuer = ?3 or issuer is null) order by issuer nulls last",
                        provider,
                        subject,
                        issuer)
                .firstResultOptional();
    }
}
