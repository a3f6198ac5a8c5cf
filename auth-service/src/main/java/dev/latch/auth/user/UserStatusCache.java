package dev.latch.auth.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latch.auth.config.AuthConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Whether a user is active, as introspection of their access tokens asks on every call: read from the database
 * at most once per user and {@code latch.auth.token.user-status-cache-ttl} (5 s) per replica, from a bounded
 * Caffeine cache. A status change on this replica drops the entry at once ({@link #forget}); other replicas see it
 * within the TTL. An unknown user is cached as inactive, so random subjects cannot grow it past its bound.
 */
@ApplicationScoped
public class UserStatusCache {

    private static final int MAX_USERS = 50_000;

    private final Cache<UUID, Boolean> active;

    private final UserRepository users;

    public UserStatusCache(AuthConfig config, UserRepository users) {
        this.users = users;
        this.active = Caffeine.newBuilder()
                .maximumSize(MAX_USERS)
                .expireAfterWrite(config.token().userStatusCacheTtl())
                .build();
    }

    public boolean isActive(UUID userId) {
        return active.get(
                userId,
                id -> QuarkusTransaction.joiningExisting()
                        .call(() -> users.findActive(id).isPresent()));
    }

    /** Called once a change of the user's status has committed. */
    public void forget(UUID userId) {
        active.invalidate(userId);
    }
}
