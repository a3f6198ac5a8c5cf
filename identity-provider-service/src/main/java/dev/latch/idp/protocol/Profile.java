package dev.latch.idp.protocol;

/** Who the provider says the user is, after field mapping. */
public record Profile(String subject, String email, boolean emailVerified, String displayName, String avatarUrl) {}
