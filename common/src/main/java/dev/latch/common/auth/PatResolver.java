package dev.latch.common.auth;

import java.util.Optional;
import org.jose4j.jwt.JwtClaims;

/**
 * Turns a well-formed PAT into the claims of its owner ({@code sub}, {@code username}, {@code role},
 * {@code scope}, {@code status}), or empty when it is unknown, revoked or expired.
 */
public interface PatResolver {

    Optional<JwtClaims> resolve(String pat);
}
