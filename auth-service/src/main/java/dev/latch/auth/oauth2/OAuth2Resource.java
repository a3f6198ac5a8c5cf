package dev.latch.auth.oauth2;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.pat.PatClaims;
import dev.latch.auth.pat.PatService;
import dev.latch.auth.ratelimit.SignInRateLimiter;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserStatusCache;
import dev.latch.common.auth.AccessTokenVerifier;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.PersonalAccessTokens;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
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
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * OAuth 2.0 endpoints: token (RFC 6749: client_credentials, refresh_token), introspection (RFC 7662)
 * and revocation (RFC 7009). Errors follow RFC 6749 §5.2 ({@code error}, {@code error_description},
 * {@code application/json}) so standard OAuth clients parse them; the RFC 9457 members are included too.
 */
@Path("/oauth2")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@APIResponse(
        responseCode = "400",
        description = "RFC 6749 §5.2 error: invalid_request, invalid_grant, unauthorized_client, "
                + "invalid_scope or unsupported_grant_type",
        content =
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = OAuth2Resource.OAuthError.class)))
@APIResponse(
        responseCode = "401",
        description = "invalid_client: client authentication failed",
        headers =
                @Header(
                        name = "WWW-Authenticate",
                        description = "Bearer error=\"invalid_token\", and Basic realm=\"latch\" after Basic"),
        content =
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = OAuth2Resource.OAuthError.class)))
@APIResponse(
        responseCode = "429",
        description = "invalid_client: too many failed client authentications; "
                + "temporarily_unavailable (refresh_token grant): too many refused refresh tokens from this address",
        headers = @Header(name = "Retry-After", description = "Seconds to wait"),
        content =
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = OAuth2Resource.OAuthError.class)))
public class OAuth2Resource {

    /** The shape of {@link OAuthErrors}' answers, for the OpenAPI document. */
    @Schema(name = "OAuthError", description = "An RFC 6749 §5.2 error with the RFC 9457 members")
    public record OAuthError(
            String error,
            @Schema(name = "error_description") String errorDescription,
            String type,
            String title,
            int status,
            String detail) {}

    public static final String INTROSPECT_SCOPE = "tokens:introspect";

    private final ClientRegistry clients;
    private final AccessTokenIssuer accessTokens;
    private final RefreshTokenService refreshTokens;
    private final PatService pats;
    private final AccessTokenVerifier verifier;
    private final AuditService audit;
    private final SignInRateLimiter limiter;
    private final UserStatusCache userStatus;

    public OAuth2Resource(
            ClientRegistry clients,
            AccessTokenIssuer accessTokens,
            RefreshTokenService refreshTokens,
            PatService pats,
            AccessTokenVerifier verifier,
            AuditService audit,
            SignInRateLimiter limiter,
            UserStatusCache userStatus) {
        this.limiter = limiter;
        this.userStatus = userStatus;
        this.clients = clients;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.pats = pats;
        this.verifier = verifier;
        this.audit = audit;
    }

    @POST
    @Path("/token")
    @Operation(summary = "OAuth 2.0 token endpoint: client_credentials and refresh_token grants (RFC 6749)")
    @APIResponse(responseCode = "200", description = "access_token, token_type, expires_in, scope (and refresh_token)")
    public Response token(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc) {
        String grantType = single(form, "grant_type");
        ClientAuth auth = clientAuth(authorization, form, rc);
        if (auth.refused() != null) {
            return auth.refused();
        }
        Optional<ClientRegistry.Client> client = auth.client();
        if (auth.credentials().isPresent() && client.isEmpty()) {
            return OAuthErrors.invalidClient(auth.basic());
        }
        if (grantType == null) {
            return OAuthErrors.of(400, "invalid_request", "grant_type is required.");
        }
        return switch (grantType) {
            case "client_credentials" -> clientCredentials(client, single(form, "scope"), auth.basic());
            case "refresh_token" -> refresh(client, single(form, "refresh_token"), AuditService.clientIp(rc));
            default ->
                OAuthErrors.of(400, "unsupported_grant_type", "Supported grants: client_credentials, refresh_token.");
        };
    }

    private Response clientCredentials(Optional<ClientRegistry.Client> authenticated, String scope, boolean basic) {
        if (authenticated.isEmpty()) {
            return OAuthErrors.invalidClient(basic);
        }
        ClientRegistry.Client client = authenticated.get();
        if (!client.allows("client_credentials")) {
            return OAuthErrors.of(400, "unauthorized_client", "This client may not use client_credentials.");
        }
        List<String> requested = scope == null || scope.isBlank()
                ? client.scopes()
                : Arrays.asList(scope.trim().split("\\s+"));
        if (!client.scopes().containsAll(requested)) {
            return OAuthErrors.of(400, "invalid_scope", "The client may not request these scopes.");
        }
        AccessTokenIssuer.Issued issued = accessTokens.forClient(client.id(), requested);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.expiresIn());
        body.put("scope", String.join(" ", requested));
        return OAuthErrors.noStore(Response.ok(body)).build();
    }

    private Response refresh(Optional<ClientRegistry.Client> client, String refreshToken, String ip) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            return OAuthErrors.of(400, "invalid_request", "refresh_token is required.");
        }
        if (client.isPresent() && !client.get().allows("refresh_token")) {
            return OAuthErrors.of(400, "unauthorized_client", "This client may not use refresh_token.");
        }
        try {
            limiter.checkRefresh(ip);
        } catch (ProblemException e) {
            // not invalid_grant: a client that hears it drops its refresh token, which may well be good
            return Response.fromResponse(OAuthErrors.of(429, "temporarily_unavailable", e.detail()))
                    .header("Retry-After", e.headers().get("Retry-After"))
                    .build();
        }
        RefreshTokenService.Outcome outcome = refreshTokens.rotate(
                refreshToken, client.map(ClientRegistry.Client::id).orElse(null));
        if (!outcome.ok()) {
            limiter.refreshFailed(ip);
            if (outcome.failure() == RefreshTokenService.Failure.REUSED) {
                audit.record(
                        AuditService.REFRESH_REUSE_DETECTED,
                        null,
                        null,
                        Map.of("session_id", String.valueOf(outcome.familyId())));
            }
            return OAuthErrors.of(400, "invalid_grant", "The refresh token is invalid, expired or revoked.");
        }
        List<String> scopes = outcome.scope() == null || outcome.scope().isBlank()
                ? List.of()
                : Arrays.asList(outcome.scope().split(" "));
        AccessTokenIssuer.Issued issued = accessTokens.forUser(outcome.user(), outcome.clientId(), scopes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", issued.token());
        body.put("token_type", "Bearer");
        body.put("expires_in", issued.expiresIn());
        body.put("refresh_token", outcome.issued().token());
        body.put("scope", String.join(" ", scopes));
        return OAuthErrors.noStore(Response.ok(body)).build();
    }

    @POST
    @Path("/introspect")
    @Operation(
            summary =
                    "Token introspection (RFC 7662) of access tokens, refresh tokens and PATs; client scope tokens:introspect")
    @APIResponse(responseCode = "200", description = "active, and the token's claims and token_use when active")
    @APIResponse(
            responseCode = "403",
            description = "insufficient_scope: the client lacks tokens:introspect",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthError.class)))
    public Response introspect(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc) {
        ClientAuth auth = clientAuth(authorization, form, rc);
        if (auth.refused() != null) {
            return auth.refused();
        }
        Optional<ClientRegistry.Client> client = auth.client();
        if (client.isEmpty()) {
            return OAuthErrors.invalidClient(auth.basic());
        }
        if (!client.get().scopes().contains(INTROSPECT_SCOPE)) {
            return OAuthErrors.of(403, "insufficient_scope", "The client needs the scope " + INTROSPECT_SCOPE + ".");
        }
        String token = single(form, "token");
        if (token == null || token.isEmpty()) {
            return OAuthErrors.of(400, "invalid_request", "token is required.");
        }
        Map<String, Object> body = describe(token);
        return OAuthErrors.noStore(Response.ok(body)).build();
    }

    private Map<String, Object> describe(String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", false);
        if (token.length() > 8192) {
            return body;
        }
        if (PersonalAccessTokens.looksLikePat(token)) {
            pats.findLive(token).ifPresent(pat -> {
                User user = User.findById(pat.userId);
                if (user != null && user.active()) {
                    pats.touch(pat);
                    putClaims(body, PatClaims.of(pat, user));
                    body.put("token_type", "Bearer");
                    body.put("token_use", "personal_access_token");
                }
            });
            return body;
        }
        if (token.chars().filter(c -> c == '.').count() == 2) {
            try {
                JwtClaims claims = verifier.verify(token);
                Object username = claims.getClaimValue("username");
                if (username != null && !userStatus.isActive(UUID.fromString(claims.getSubject()))) {
                    return body;
                }
                putClaims(body, claims);
                body.put("token_type", "Bearer");
                body.put("token_use", "access_token");
            } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
                // inactive
            }
            return body;
        }
        refreshTokens.lookup(token).ifPresent(info -> {
            User user = User.findById(info.userId());
            body.put("active", true);
            body.put("token_use", "refresh_token");
            body.put("sub", info.userId().toString());
            body.put("username", user.username);
            body.put("client_id", info.clientId());
            body.put("scope", info.scope());
            body.put("iat", info.issuedAt().getEpochSecond());
            body.put("exp", info.expiresAt().getEpochSecond());
            body.put("sid", info.familyId().toString());
        });
        return body;
    }

    private static void putClaims(Map<String, Object> body, JwtClaims claims) {
        body.put("active", true);
        for (String name : List.of("scope", "client_id", "username", "sub", "iss", "jti", "role", "status", "pat_id")) {
            Object v = claims.getClaimValue(name);
            if (v != null) {
                body.put(name, v);
            }
        }
        for (String name : List.of("exp", "iat", "nbf")) {
            Object v = claims.getClaimValue(name);
            if (v instanceof Number n) {
                body.put(name, n.longValue());
            }
        }
        Object aud = claims.getClaimValue("aud");
        if (aud != null) {
            body.put("aud", aud);
        }
    }

    @POST
    @Path("/revoke")
    @Operation(summary = "Token revocation (RFC 7009) of the client's own refresh tokens")
    @APIResponse(responseCode = "200", description = "Revoked, or not a live token (RFC 7009 §2.2)")
    public Response revoke(
            @HeaderParam("Authorization") String authorization,
            MultivaluedMap<String, String> form,
            @Context RoutingContext rc) {
        ClientAuth auth = clientAuth(authorization, form, rc);
        if (auth.refused() != null) {
            return auth.refused();
        }
        if (auth.client().isEmpty()) {
            return OAuthErrors.invalidClient(auth.basic());
        }
        String clientId = auth.client().get().id();
        String token = single(form, "token");
        if (token == null || token.isEmpty()) {
            return OAuthErrors.of(400, "invalid_request", "token is required.");
        }
        // RFC 7009 §2.1: a client revokes only tokens issued to it; PATs belong to users, not clients
        if (PersonalAccessTokens.looksLikePat(token)) {
            return pats.findLive(token).isPresent()
                    ? notIssuedTo()
                    : Response.ok().build();
        }
        if (token.chars().filter(c -> c == '.').count() == 2) {
            try {
                Object issuedTo = verifier.verify(token).getClaimValue("client_id");
                if (!clientId.equals(issuedTo)) {
                    return notIssuedTo();
                }
            } catch (InvalidJwtException e) {
                // not a live token of ours: nothing to revoke
            }
            // access tokens are short-lived and verified offline; they expire on their own
            return Response.ok().build();
        }
        Optional<String> issuedTo = refreshTokens.clientOf(token);
        if (issuedTo.isPresent() && !issuedTo.get().equals(clientId)) {
            return notIssuedTo();
        }
        refreshTokens
                .revokeByToken(token, "revoked")
                .ifPresent(family -> audit.record(
                        AuditService.SIGNOUT,
                        null,
                        null,
                        Map.of("session_id", family.toString(), "via", "revocation", "client_id", clientId)));
        // RFC 7009 §2.2: 200 whether or not the token was known
        return Response.ok().build();
    }

    private static Response notIssuedTo() {
        return OAuthErrors.of(400, "invalid_grant", "The token was not issued to this client.");
    }

    /**
     * The credentials the client presented (Basic or form) and the client they authenticate, if any;
     * {@code refused} is set when this client id or address failed too often (checked before the
     * secret, counted on every failure).
     */
    private record ClientAuth(
            Optional<ClientRegistry.Credentials> credentials,
            Optional<ClientRegistry.Client> client,
            Response refused) {
        boolean basic() {
            return credentials.map(ClientRegistry.Credentials::basic).orElse(true);
        }
    }

    private ClientAuth clientAuth(String authorization, MultivaluedMap<String, String> form, RoutingContext rc) {
        Optional<ClientRegistry.Credentials> credentials =
                ClientRegistry.credentials(authorization, single(form, "client_id"), single(form, "client_secret"));
        if (credentials.isEmpty()) {
            return new ClientAuth(credentials, Optional.empty(), null);
        }
        ClientRegistry.Credentials c = credentials.get();
        String ip = AuditService.clientIp(rc);
        try {
            limiter.checkClient(c.clientId(), ip);
        } catch (ProblemException e) {
            return new ClientAuth(
                    credentials,
                    Optional.empty(),
                    Response.fromResponse(OAuthErrors.of(429, "invalid_client", e.detail()))
                            .header("Retry-After", e.headers().get("Retry-After"))
                            .build());
        }
        Optional<ClientRegistry.Client> client = clients.authenticate(c.clientId(), c.secret());
        if (client.isEmpty()) {
            limiter.clientFailed(c.clientId(), ip);
        }
        return new ClientAuth(credentials, client, null);
    }

    private static String single(MultivaluedMap<String, String> form, String name) {
        if (form == null) {
            return null;
        }
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
