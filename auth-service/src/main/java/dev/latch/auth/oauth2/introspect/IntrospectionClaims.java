package dev.latch.auth.oauth2.introspect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jose4j.jwt.JwtClaims;

/** The introspection answer of a token that stands for JWT claims (an access token, or what a PAT resolves to). */
final class IntrospectionClaims {

    private static final List<String> STRINGS =
            List.of("scope", "client_id", "username", "sub", "iss", "jti", "role", "status", "pat_id");
    private static final List<String> TIMES = List.of("exp", "iat", "nbf");

    private IntrospectionClaims() {}

    static Map<String, Object> active(JwtClaims claims, String tokenUse) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        for (String name : STRINGS) {
            Object v = claims.getClaimValue(name);
            if (v != null) {
                body.put(name, v);
            }
        }
        for (String name : TIMES) {
            if (claims.getClaimValue(name) instanceof Number n) {
                body.put(name, n.longValue());
            }
        }
        Object aud = claims.getClaimValue("aud");
        if (aud != null) {
            body.put("aud", aud);
        }
        body.put("token_type", "Bearer");
        body.put("token_use", tokenUse);
        return body;
    }
}
