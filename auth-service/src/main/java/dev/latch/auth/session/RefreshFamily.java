package dev.latch.auth.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One sign-in session: the refresh tokens that rotated from one sign-in, with one absolute lifetime. */
@Entity
@Table(name = "refresh_families")
public class RefreshFamily {

    @Id
    public UUID id;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "client_id")
    public String clientId;

    public String scope;

    /** The login-page session this family was issued through (the code flow), ended with it; else null. */
    @Column(name = "browser_session_id")
    public UUID browserSessionId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoke_reason")
    public String revokeReason;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;
}
