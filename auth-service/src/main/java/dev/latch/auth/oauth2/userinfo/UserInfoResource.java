package dev.latch.auth.oauth2.userinfo;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.key.SigningKeyStore;
import dev.latch.auth.oauth2.OAuthError;
import dev.latch.auth.oauth2.OAuthException;
import dev.latch.auth.oauth2.OAuthExceptionMapper;
import dev.latch.auth.token.StandardClaims;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserRepository;
import dev.latch.common.auth.LatchJwtConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;

/**
 * OIDC Core §5.3 UserInfo: the claims of the user behind an access token this server issued to a user, by the
 * token's scopes ({@code openid} required). The token's audience is not checked: a client of the OpenID Provider
 * may have its own. Errors per RFC 6750 §3: 401 {@code invalid_token}, 403 {@code insufficient_scope}, each with
 * its {@code WWW-Authenticate} challenge.
 */
@Path("/oauth2/userinfo")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "OpenID Provider")
@APIResponse(
        responseCode = "401",
        description = "invalid_token: no access token, or one that is invalid, expired, not a user's or of a"
                + " disabled user",
        headers = @Header(name = "WWW-Authenticate", description = "Bearer error=\"invalid_token\""),
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
@APIResponse(
        responseCode = "403",
        description = "insufficient_scope: the token was not granted openid",
        headers = @Header(name = "WWW-Authenticate", description = "Bearer error=\"insufficient_scope\""),
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
public class UserInfoResource {

    private static final Logger LOG = Logger.getLogger(UserInfoResource.class);
    private static final List<String> FORBIDDEN_HEADERS = List.of("jwk", "jku", "x5u", "x5c");

    private final UserRepository users;
    private final LatchJwtConfig jwt;
    private final JwtConsumer consumer;

    public UserInfoResource(AuthConfig config, LatchJwtConfig jwt, SigningKeyStore keys, UserRepository users) {
        this.users = users;
        this.jwt = jwt;
        this.consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(keys.resolver())
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT,
                        jwt.algorithms().toArray(String[]::new)))
                .setExpectedType(true, "at+jwt")
                .setExpectedIssuer(config.token().issuer())
                .setSkipDefaultAudienceValidation()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds((int) jwt.clockSkew().toSeconds())
                .registerValidator((org.jose4j.jwt.consumer.Validator) ctx -> {
                    for (JsonWebStructure structure : ctx.getJoseObjects()) {
                        for (String header : FORBIDDEN_HEADERS) {
                            if (structure.getHeaders().getObjectHeaderValue(header) != null) {
                                return "the '" + header + "' header is not accepted";
                            }
                        }
                    }
                    return null;
                })
                .build();
    }

    @GET
    @Operation(summary = "OIDC UserInfo: the claims of the access token's user, by its scopes")
    @APIResponse(responseCode = "200", description = "sub and the standard claims of the granted scopes")
    public Response get(@HeaderParam("Authorization") String authorization) {
        return answer(bearer(authorization).orElse(null));
    }

    @POST
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    @Operation(summary = "OIDC UserInfo by POST (token in the Authorization header, or the form's access_token)")
    @APIResponse(responseCode = "200", description = "sub and the standard claims of the granted scopes")
    @APIResponse(
            responseCode = "400",
            description = "invalid_request: the token was sent in more than one way",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    public Response post(
            @HeaderParam("Authorization") String authorization, @FormParam("access_token") String formToken) {
        Optional<String> header = bearer(authorization);
        if (header.isPresent() && formToken != null) {
            // RFC 6750 §2: a client MUST NOT use more than one method to transmit the token
            throw new OAuthException(
                    400,
                    "invalid_request",
                    "The access token was sent both in the header and in the form.",
                    Map.of("WWW-Authenticate", List.of("Bearer error=\"invalid_request\"")));
        }
        return answer(header.orElse(formToken));
    }

    private Response answer(String token) {
        if (token == null || token.isEmpty()) {
            throw invalidToken("An access token is required.");
        }
        if (token.length() > jwt.maxTokenLength()) {
            throw invalidToken("The access token is too long.");
        }
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            LOG.debugf("userinfo: access token refused: %s", e.getMessage());
            throw invalidToken("The access token is invalid or expired.");
        }
        User user = userOf(claims).orElseThrow(() -> invalidToken("The token is not of an active user."));
        List<String> scopes = scopes(claims);
        if (!scopes.contains("openid")) {
            throw new OAuthException(
                    403,
                    "insufficient_scope",
                    "The access token was not granted the scope openid.",
                    Map.of("WWW-Authenticate", List.of("Bearer error=\"insufficient_scope\"")));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", user.id.toString());
        body.putAll(StandardClaims.of(user, scopes));
        return OAuthExceptionMapper.noStore(Response.ok(body)).build();
    }

    /** A user's token carries its username; a client's (client_credentials) has the client as subject. */
    private Optional<User> userOf(JwtClaims claims) {
        try {
            if (claims.getClaimValue("username") == null) {
                return Optional.empty();
            }
            return users.findActive(UUID.fromString(claims.getSubject()));
        } catch (MalformedClaimException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<String> scopes(JwtClaims claims) {
        Object scope = claims.getClaimValue("scope");
        if (!(scope instanceof String s) || s.isBlank()) {
            return List.of();
        }
        return Arrays.asList(s.trim().split(" +"));
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private static OAuthException invalidToken(String description) {
        return new OAuthException(
                401,
                "invalid_token",
                description,
                Map.of("WWW-Authenticate", List.of("Bearer error=\"invalid_token\"")));
    }
}
