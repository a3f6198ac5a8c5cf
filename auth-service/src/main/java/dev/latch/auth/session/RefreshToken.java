package dev.latch.auth.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One refresh token of a family, stored as the SHA-256 of its secret. */
@Entity
@Table(name = "refresh_tokens")
// the statement is written, with every other query on these tables, in RefreshTokenRepository
@NamedNativeQuery(name = RefreshTokenRepository.ROTATE_QUERY, query = RefreshTokenRepository.ROTATE)
public class RefreshToken {

    @Id
    public UUID id;

    @Column(name = "family_id")
    public UUID familyId;

    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "successor_id")
    public UUID successorId;

    /** The successor's secret, encrypted under a key derived from this token's secret. */
    @Column(name = "successor_enc")
    public byte[] successorEnc;
}
