package dev.latch.auth.key;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A generated signing key as stored: the private JWK encrypted (AES-GCM), see {@link DatabaseKeySource}. */
@Entity
@Table(name = "signing_keys")
public class SigningKeyRow {

    @Id
    public String kid;

    public String algorithm;

    /** The public JWK, for operators reading the table; the service derives it from the private half. */
    @Column(name = "public_jwk")
    public String publicJwk;

    @Column(name = "private_key")
    public byte[] privateKey;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;
}
