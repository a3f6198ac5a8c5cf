package dev.latch.auth.browser;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Every query on {@code browser_sessions}: by the cookie's hash (unique index) or by id. */
@ApplicationScoped
public class BrowserSessionRepository implements PanacheRepositoryBase<BrowserSession, UUID> {

    public Optional<BrowserSession> findByTokenHash(byte[] tokenHash) {
        return find("tokenHash", tokenHash).firstResultOptional();
    }

    /** Ends a session; false when it was already ended. */
    public boolean revoke(UUID id, Instant now) {
        return update("revokedAt = ?1 where id = ?2 and revokedAt is null", now, id) == 1;
    }
}
