package dev.latch.auth.key;

import java.time.Instant;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * One signing key. It signs from {@code activatedAt} until a newer key activates ({@code retiredAt});
 * it stays in the JWKS until every token it signed has expired.
 */
public record SigningKey(String kid, String algorithm, PublicJsonWebKey jwk, Instant activatedAt, Instant retiredAt) {

    public boolean signsAt(Instant now) {
        return !activatedAt.isAfter(now) && (retiredAt == null || retiredAt.isAfter(now));
    }
}
