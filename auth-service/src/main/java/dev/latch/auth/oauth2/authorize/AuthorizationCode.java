package dev.latch.auth.oauth2.authorize;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An authorization code (kept as its SHA-256) and everything it was bound to: the row of {@code authorization_codes}. */
@Entity
@Table(name = "authorization_codes")
public class AuthorizationCode {

    @Id
    @Column(name = "code_hash")
    public byte[] codeHash;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "browser_session_id")
    public UUID browserSessionId;

    @Column(name = "redirect_uri")
    public String redirectUri;

    public String scope;

    public String nonce;

    /** The S256 PKCE challenge; null when the (confidential) client sent none. */
    @Column(name = "code_challenge")
    public String codeChallenge;

    public String amr;

    @Column(name = "auth_time")
    public Instant authTime;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** The refresh-token family the code's exchange issued, revoked if the code is presented again. */
    @Column(name = "refresh_family_id")
    public UUID refreshFamilyId;
}
