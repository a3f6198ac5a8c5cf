package dev.latch.auth.client;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.latch.auth.federation.FederatedSessionResource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/oauth-clients} and {@code PUT /v1/oauth-clients/{clientId}}, and the one place the
 * rules of a client's fields are written. An absent list is empty, an absent flag false; {@code type} is required
 * to create and fixed afterwards (a PUT may leave it out).
 */
@RegisterForReflection
@OAuthClientRequest.Rules
public record OAuthClientRequest(
        @NotBlank(message = NAME_RULE)
        @Size(max = 200, message = NAME_RULE)
        @Pattern(regexp = "[^\\p{Cntrl}]*", message = NAME_RULE)
        String name,

        @Schema(enumeration = {OAuthClient.CONFIDENTIAL, OAuthClient.PUBLIC})
        @NotNull(message = TYPE_RULE)
        @Pattern(regexp = OAuthClient.CONFIDENTIAL + "|" + OAuthClient.PUBLIC, message = TYPE_RULE)
        String type,

        @Size(max = MAX_URIS, message = "redirectUris: at most " + MAX_URIS + " URIs.")
        List<@NotNull(message = ClientUri.RULE) @ClientUri String> redirectUris,

        @Size(max = MAX_URIS, message = "postLogoutRedirectUris: at most " + MAX_URIS + " URIs.")
        List<@NotNull(message = ClientUri.RULE) @ClientUri String> postLogoutRedirectUris,

        @NotEmpty(message = GRANT_RULE) @Size(max = 4, message = GRANT_RULE)
        List<@NotNull(message = GRANT_RULE) @Pattern(regexp = GRANT_TYPES, message = GRANT_RULE) String> grantTypes,

        @Size(max = MAX_SCOPES, message = SCOPES_RULE)
        List<@NotNull(message = SCOPE_RULE) @Pattern(regexp = SCOPE_TOKEN, message = SCOPE_RULE) String> scopes,

        Boolean firstParty,

        Boolean requirePar,

        @ClientUri String backchannelLogoutUri) {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

    static final int MAX_URIS = 50;
    static final int MAX_SCOPES = 50;
    static final String GRANT_TYPES =
            AUTHORIZATION_CODE + "|" + REFRESH_TOKEN + "|" + CLIENT_CREDENTIALS + "|" + DEVICE_CODE;
    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), here at most 128 characters. */
    static final String SCOPE_TOKEN = "[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}";

    static final String NAME_RULE = "name must be 1 to 200 characters, without control characters.";
    static final String TYPE_RULE = "type must be confidential or public.";
    static final String GRANT_RULE = "grantTypes must be 1 to 4 of authorization_code, refresh_token, "
            + "client_credentials and urn:ietf:params:oauth:grant-type:device_code.";
    static final String SCOPES_RULE = "scopes: at most " + MAX_SCOPES + ".";
    static final String SCOPE_RULE =
            "a scope must be 1 to 128 printable ASCII characters, without space, double quote or backslash "
                    + "(RFC 6749 §3.3).";
    static final String PUBLIC_RULE = "a public client cannot use client_credentials.";
    static final String CODE_RULE = "authorization_code needs at least one redirect URI.";
    /**
     * {@code sessions:issue} makes a session for any user (the broker's way in): only a client declared in
     * configuration may hold it, never one an ADMIN registers through the API.
     */
    static final String INTERNAL_SCOPE_RULE =
            "sessions:issue is for the broker's client in configuration, not for a registered client.";

    /** This body with {@code type} set (a PUT that left it out gets the client's own). */
    public OAuthClientRequest withType(String type) {
        return new OAuthClientRequest(
                name,
                type,
                redirectUris,
                postLogoutRedirectUris,
                grantTypes,
                scopes,
                firstParty,
                requirePar,
                backchannelLogoutUri);
    }

    /** The rules between fields: a public client has no client_credentials; authorization_code needs a redirect URI. */
    @Documented
    @Constraint(validatedBy = Rules.Validator.class)
    @Target(TYPE)
    @Retention(RUNTIME)
    public @interface Rules {

        String message() default "The client's fields contradict each other.";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Validator implements ConstraintValidator<Rules, OAuthClientRequest> {

            @Override
            public boolean isValid(OAuthClientRequest r, ConstraintValidatorContext context) {
                if (r == null || r.grantTypes() == null) {
                    return true;
                }
                boolean valid = true;
                context.disableDefaultConstraintViolation();
                if (OAuthClient.PUBLIC.equals(r.type()) && r.grantTypes().contains(CLIENT_CREDENTIALS)) {
                    refuse(context, "grantTypes", PUBLIC_RULE);
                    valid = false;
                }
                if (r.scopes() != null && r.scopes().contains(FederatedSessionResource.SCOPE)) {
                    refuse(context, "scopes", INTERNAL_SCOPE_RULE);
                    valid = false;
                }
                if (r.grantTypes().contains(AUTHORIZATION_CODE)
                        && (r.redirectUris() == null || r.redirectUris().isEmpty())) {
                    refuse(context, "redirectUris", CODE_RULE);
                    valid = false;
                }
                return valid;
            }

            private static void refuse(ConstraintValidatorContext context, String field, String message) {
                context.buildConstraintViolationWithTemplate(message)
                        .addPropertyNode(field)
                        .addConstraintViolation();
            }
        }
    }
}
