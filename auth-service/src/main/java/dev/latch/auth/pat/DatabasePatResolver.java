package dev.latch.auth.pat;

import dev.latch.auth.user.User;
import dev.latch.common.auth.PatResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;

/** In auth-service a PAT is resolved straight from the database, so revocation takes effect at once. */
@ApplicationScoped
public class DatabasePatResolver implements PatResolver {

    private final PatService pats;

    public DatabasePatResolver(PatService pats) {
        this.pats = pats;
    }

    @Override
    public Optional<JwtClaims> resolve(String token) {
        return pats.findLive(token).flatMap(pat -> {
            User user = User.findById(pat.userId);
            if (user == null || !user.active()) {
                return Optional.empty();
            }
            pats.touch(pat);
            return Optional.of(PatClaims.of(pat, user));
        });
    }
}
