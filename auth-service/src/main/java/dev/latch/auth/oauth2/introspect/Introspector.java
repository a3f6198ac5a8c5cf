package dev.latch.auth.oauth2.introspect;

import java.util.Map;
import java.util.Optional;

/**
 * RFC 7662 introspection of one kind of token. Each kind has its own shape, and an introspector looks only at tokens
 * of its shape, so {@code token_type_hint} only decides which one is asked first.
 */
public interface Introspector {

    /** The {@code token_type_hint} that names this kind ({@code token_use} in the answer). */
    String hint();

    /** Whether the token has this kind's shape; no lookup. */
    boolean accepts(String token);

    /** The answer's members for a live token (with {@code active: true}); empty when it is not live. */
    Optional<Map<String, Object>> introspect(String token);
}
