package dev.latch.auth.client;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.regex.Pattern;

/** An OAuth client registered through {@code /v1/oauth-clients}: the row of {@code oauth_clients}. */
@Entity
@Table(name = "oauth_clients")
public class OAuthClient {

    public static final String CONFIDENTIAL = "confidential";
    public static final String PUBLIC = "public";

    /** A generated id: 16 random bytes, base64url without padding. */
    private static final Pattern ID_SHAPE = Pattern.compile("[A-Za-z0-9_-]{22}");

    @Id
    @Column(name = "client_id")
    public String clientId;

    public String name;

    /** {@link #CONFIDENTIAL} or {@link #PUBLIC}; fixed once created. */
    public String type;

    /** SHA-256 of the secret; null for a public client. */
    @Column(name = "secret_hash")
    public byte[] secretHash;

    @Column(name = "redirect_uris")
    public String[] redirectUris;

    @Column(name = "post_logout_redirect_uris")
    public String[] postLogoutRedirectUris;

    @Column(name = "grant_types")
    public String[] grantTypes;

    public String[] scopes;

    @Column(name = "first_party")
    public boolean firstParty;

    @Column(name = "require_par")
    public boolean requirePar;

    @Column(name = "backchannel_logout_uri")
    public String backchannelLogoutUri;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public boolean confidential() {
        return CONFIDENTIAL.equals(type);
    }

    /** Whether {@code id} can be a generated client id (anything else is never looked up). */
    public static boolean isWellFormedId(String id) {
        return id != null && ID_SHAPE.matcher(id).matches();
    }
}
