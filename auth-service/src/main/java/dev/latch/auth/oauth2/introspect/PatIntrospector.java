package dev.latch.auth.oauth2.introspect;

import dev.latch.auth.pat.DatabasePatResolver;
import dev.latch.common.security.PersonalAccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** Personal access tokens ({@code latch_pat_…}), live while unrevoked, unexpired and their owner is active. */
@ApplicationScoped
public class PatIntrospector implements Introspector {

    private final DatabasePatResolver pats;

    public PatIntrospector(DatabasePatResolver pats) {
        this.pats = pats;
    }

    @Override
    public String hint() {
        return "personal_access_token";
    }

    @Override
    public boolean accepts(String token) {
        return PersonalAccessTokens.looksLikePat(token);
    }

    @Override
    public Optional<Map<String, Object>> introspect(String token) {
        return pats.resolve(token).map(claims -> IntrospectionClaims.active(claims, hint()));
    }
}
