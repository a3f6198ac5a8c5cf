package dev.latch.idp.provider;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "identity_providers")
public class IdentityProvider extends PanacheEntityBase {

    @Id
    public String id;

    public String kind;
    public String title;

    @Column(name = "client_id")
    public String clientId;
    /** AES-GCM ciphertext; never leaves this service. */
    @Column(name = "client_secret_enc")
    public byte[] clientSecretEnc;

    public String issuer;
    public String tenant;

    @Column(name = "base_url")
    public String baseUrl;

    @Column(name = "authorization_url")
    public String authorizationUrl;

    @Column(name = "token_url")
    public String tokenUrl;

    @Column(name = "user_info_url")
    public String userInfoUrl;
    /** Space-separated. */
    public String scopes;

    public boolean pkce;
    public boolean enabled;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "field_mapping")
    public Map<String, String> fieldMapping;
    /** Emails of this provider may be used as a linking key (with {@link #allowedEmailDomains}). */
    @Column(name = "trust_email")
    public boolean trustEmail;
    /** Lower-case domains whose emails may link accounts; null means any domain. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allowed_email_domains")
    public List<String> allowedEmailDomains;
    /** May create a Latch user even when auth-service's sign-up is disabled. */
    @Column(name = "allow_signup")
    public boolean allowSignup;
    /** Immutable identity of this row: the issuer auth-service records the subjects under. */
    @Column(name = "instance_id", updatable = false)
    public UUID instanceId;
    /** When the first login through this provider reached auth-service; null before. */
    @Column(name = "first_login_at")
    public Instant firstLoginAt;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public ProviderKind providerKind() {
        return ProviderKind.of(kind);
    }

    /** The issuer sent to auth-service: subjects are unique per provider row, not per id. */
    public String linkIssuer() {
        return "urn:latch:idp:" + instanceId;
    }

    /** Usable for logins: enabled and configured with a client id. */
    public boolean usable() {
        return enabled && clientId != null && !clientId.isBlank();
    }
}
