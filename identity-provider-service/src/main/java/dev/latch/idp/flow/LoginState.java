package dev.latch.idp.flow;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What /start remembers for its callback, under {@code latch:oauth:state:{state}}. */
@RegisterForReflection
public record LoginState(String provider, String redirectTo, String codeVerifier, String nonce, long createdAt) {}
