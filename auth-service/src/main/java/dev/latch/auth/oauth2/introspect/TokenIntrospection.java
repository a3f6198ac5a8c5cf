package dev.latch.auth.oauth2.introspect;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
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

    /** The fixed order, for no hint or an unknown one. */
    private final List<Introspector> introspectors;
    /** Per hint: its introspector first, then the others in the fixed order; computed once. */
    private final Map<String, List<Introspector>> byHint;

    public TokenIntrospection(
            PatIntrospector pats, AccessTokenIntrospector accessTokens, RefreshTokenIntrospector refreshTokens) {
        this.introspectors = List.of(pats, accessTokens, refreshTokens);
        Map<String, List<Introspector>> byHint = new HashMap<>();
        for (Introspector first : introspectors) {
            List<Introspector> ordered = new ArrayList<>(List.of(first));
            introspectors.stream().filter(i -> i != first).forEach(ordered::add);
            byHint.put(first.hint(), List.copyOf(ordered));
        }
        this.byHint = Map.copyOf(byHint);
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
        return hint == null ? introspectors : byHint.getOrDefault(hint, introspectors);
    }
}
