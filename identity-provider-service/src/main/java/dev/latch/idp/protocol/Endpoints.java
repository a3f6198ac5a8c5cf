package dev.latch.idp.protocol;

/** A provider's endpoints after kind defaults, overrides and discovery. */
public record Endpoints(
        String issuer,
        String authorization,
        String token,
        String userinfo,
        String jwksUri,
        boolean basicAuth,
        boolean issParameterSupported) {}
