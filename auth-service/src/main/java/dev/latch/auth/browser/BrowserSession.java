package dev.latch.auth.browser;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One sign-in at the login page, behind the {@code latch_session} cookie: the row of {@code browser_sessions}. */
@Entity
@Table(name = "browser_sessions")
public class BrowserSession {

    /** How the user authenticated (OIDC {@code amr}). */
    public static final String PASSWORD = "pwd";

    public static final String FEDERATED = "fed";

    /** Public: the {@code sid} of the ID tokens issued through this session. */
    @Id
    public UUID id;

    /** SHA-256 of the cookie's value. */
    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "user_id")
    public UUID userId;

    /** {@link #PASSWORD} or {@link #FEDERATED}. */
    public String amr;

    @Column(name = "auth_time")
    public Instant authTime;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    public boolean live(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
