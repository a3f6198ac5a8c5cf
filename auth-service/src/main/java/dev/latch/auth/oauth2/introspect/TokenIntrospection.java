package dev.latch.auth.oauth2.introspect;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 7662 §2.1: the introspector the {@code token_type_hint} names is asked first, then the others in a fixed order;
 * an unknown hint is ignored, as the RFC allows. A token no introspector finds live is {@code {"active": false}}.
 */
@ApplicationScoped
public class TokenIntrospection {

    /** Longer than any token Latch issues; not worth a lookup. */
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final List<Introspector> introspectors;

    public TokenIntrospection(
            PatIntrospector pats, AccessTokenIntrospector accessTokens, RefreshTokenIntrospector refreshTokens) {
        this.introspectors = List.of(pats, accessTokens, refreshTokens);
    }

    public Map<String, Object> introspect(String token, String hint) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return Map.of("active", false);
        }
        for (Introspector introspector : ordered(hint)) {
            if (introspector.accepts(token)) {
                return introspector.introspect(token).orElse(Map.of("active", false));
            }
        }
        return Map.of("active", false);
    }

    private List<Introspector> ordered(String hint) {
        List<Introspector> ordered = new ArrayList<>(introspectors);
        ordered.sort((a, b) -> Boolean.compare(!a.hint().equals(hint), !b.hint().equals(hint)));
        return ordered;
    }
}
