package dev.latch.common.auth;

import org.jose4j.keys.resolvers.VerificationKeyResolver;

/** Where the public keys that verify access tokens come from. */
public interface VerificationKeys {

    VerificationKeyResolver resolver();
}
