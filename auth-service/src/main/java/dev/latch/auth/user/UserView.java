package dev.latch.auth.user;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/** A user as the API shows it: never the password hash. */
@RegisterForReflection
public record UserView(
        UUID id,
        String username,
        String email,
        boolean emailVerified,
        String displayName,
        String avatarUrl,
        String role,
        String status,
        Instant createdAt) {

    public static UserView of(User u) {
        return new UserView(
                u.id,
                u.username,
                u.email,
                u.emailVerified,
                u.displayName,
                u.avatarUrl,
                u.role.name(),
                u.status.name(),
                u.createdAt);
    }
}
