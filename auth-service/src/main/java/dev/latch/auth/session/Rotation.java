package dev.latch.auth.session;

import dev.latch.auth.user.User;
import java.util.UUID;

/** What presenting a refresh token gave: its successor, or why not. */
public sealed interface Rotation permits Rotation.Rotated, Rotation.Refused {

    enum Failure {
        UNKNOWN,
        EXPIRED,
        REVOKED,
        USER_DISABLED,
        REUSED,
        CLIENT_MISMATCH
    }

    /** The successor (or, within the grace window, the one already stored) and the session it continues. */
    record Rotated(RefreshTokenService.Issued issued, User user, String clientId, String scope) implements Rotation {}

    /** Refused; {@code familyId} is null for an unknown token. */
    record Refused(Failure failure, UUID familyId) implements Rotation {}
}
