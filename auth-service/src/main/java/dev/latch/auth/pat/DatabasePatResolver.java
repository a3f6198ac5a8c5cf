package dev.latch.auth.pat;

import dev.latch.auth.user.UserRepository;
import dev.latch.common.auth.PatResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jose4j.jwt.JwtClaims;

/** In auth-service a PAT is resolved straight from the database, so revocation takes effect at once. */
@ApplicationScoped
public class DatabasePatResolver implements PatResolver {

    private final PatService pats;
    private final UserRepository users;

    public DatabasePatResolver(PatService pats, UserRepository users) {
        this.pats = pats;
        this.users = users;
    }

    @Override
    public Optional<JwtClaims> resolve(String token) {
        return pats.findLive(token)
                .flatMap(pat -> users.findActive(pat.userId).map(user -> {
                    pats.touch(pat);
                    return PatClaims.of(pat, user);
                }));
    }
}
