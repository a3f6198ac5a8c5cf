package dev.latch.auth.oauth2;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The shape of {@link OAuthExceptionMapper}'s answers, for the OpenAPI document. */
@Schema(name = "OAuthError", description = "An RFC 6749 §5.2 error with the RFC 9457 members")
public record OAuthError(
        String error,
        @Schema(name = "error_description") String errorDescription,
        String type,
        String title,
        int status,
        String detail) {}
