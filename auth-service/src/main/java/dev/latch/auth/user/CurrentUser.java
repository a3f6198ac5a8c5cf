package dev.latch.auth.user;

import dev.latch.common.error.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The user behind the request's bearer token (access token or PAT), checked to exist and be active. */
@RequestScoped
public class CurrentUser {

    private final JsonWebToken jwt;
    private final UserRepository users;
    private User user;

    public CurrentUser(JsonWebToken jwt, UserRepository users) {
        this.jwt = jwt;
        this.users = users;
    }

    public User get() {
        if (user == null) {
            if (jwt == null || jwt.getSubject() == null) {
                throw ProblemException.unauthorized("Authentication is required.");
            }
            if (jwt.getClaim("username") == null) {
                throw ProblemException.forbidden("This call needs a user's token, not a client's.");
            }
            UUID id;
            try {
                id = UUID.fromString(jwt.getSubject());
            } catch (IllegalArgumentException e) {
                throw ProblemException.unauthorized("The token's subject is not a user.");
            }
            user = users.findActive(id)
                    .orElseThrow(() -> ProblemException.unauthorized("The user is unknown or disabled."));
        }
        return user;
    }

    /** The caller, still an active ADMIN now (not only when its token was signed: a demotion counts at once). */
    public User admin() {
        User caller = get();
        if (caller.role != User.Role.ADMIN) {
            throw ProblemException.forbidden("This call needs an ADMIN.");
        }
        return caller;
    }

    public UUID id() {
        return get().id;
    }
}
