package dev.latch.auth.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.auth.audit.AuditService;
import dev.latch.auth.ratelimit.SignInRateLimiter;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.user.SignUpRequest;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserService;
import dev.latch.auth.user.UserView;
import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @RegisterForReflection
    public record SignInRequest(
            @NotNull(message = REQUIRED) @Size(max = 320, message = TOO_LONG)
            String username,

            @NotNull(message = REQUIRED) @Size(max = UserService.MAX_PASSWORD_LENGTH, message = TOO_LONG)
            String password) {}

    private static final String REQUIRED = "A JSON body with username and password is required.";
    private static final String TOO_LONG = "username or password is too long.";

    @RegisterForReflection
    public record SessionResponse(
            String accessToken,
            String tokenType,
            long expiresIn,
            UserView user,

            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String refreshToken) {}

    private static final String BAD_CREDENTIALS = "The username or password is incorrect.";

    private final UserService users;
    private final RefreshTokenService refreshTokens;
    private final AccessTokenIssuer accessTokens;
    private final SignInRateLimiter rateLimiter;
    private final AuditService audit;
    private final ObjectMapper mapper;
    private final CrossSiteGuard crossSite;

    public AuthResource(
            UserService users,
            RefreshTokenService refreshTokens,
            AccessTokenIssuer accessTokens,
            SignInRateLimiter rateLimiter,
            AuditService audit,
            ObjectMapper mapper,
            CrossSiteGuard crossSite) {
        this.crossSite = crossSite;
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.mapper = mapper;
    }

    @POST
    @Path("/signup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign up with username and password")
    @APIResponse(
            responseCode = "201",
            description = "The new user",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UserView.class)))
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response signUp(SignUpRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("A JSON body with username and password is required.");
        }
        // validated by the service, after the sign-up-disabled refusal, which comes first
        User user = users.signUp(request);
        return Response.status(201).entity(UserView.of(user)).build();
    }

    @POST
    @Path("/signin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in: an access token, and the refresh token as the latch_refresh cookie")
    @APIResponse(
            responseCode = "200",
            description = "The session",
            headers = @Header(name = "Set-Cookie", description = "latch_refresh"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response signIn(@Valid SignInRequest request, @Context RoutingContext rc) {
        if (request == null) {
            throw ProblemException.badRequest(REQUIRED);
        }
        // longer passwords are refused before hashing (the body's constraints), at sign-up and sign-in alike
        String ip = AuditService.clientIp(rc);
        String username = UserService.normalizeUsername(request.username());
        // counted before the password is hashed: parallel guesses cannot outrun the limit
        rateLimiter.reserveSignIn(username, ip);
        User user = users.authenticate(username, request.password())
                .filter(User::active)
                .orElse(null);
        if (user == null) {
            audit.record(
                    AuditService.SIGNIN_FAILED,
                    null,
                    username.length() > 128 ? username.substring(0, 128) : username,
                    Map.of("reason", "bad_credentials"));
            throw ProblemException.unauthorized(BAD_CREDENTIALS);
        }
        rateLimiter.signInSucceeded(username, ip);
        RefreshTokenService.Issued refresh = refreshTokens.issue(
                user, AccessTokenIssuer.FIRST_PARTY_CLIENT, "", ip, rc.request().getHeader("User-Agent"));
        audit.record(
                AuditService.SIGNIN_SUCCEEDED,
                user.id.toString(),
                user.username,
                Map.of("session_id", refresh.familyId().toString()));
        return session(user, refresh, false);
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A new session from the latch_refresh cookie or a JSON refreshToken (rotated on every use)")
    @APIResponse(
            responseCode = "200",
            description = "The session; the new refresh token as cookie, or in the body when it came in the body",
            headers = @Header(name = "Set-Cookie", description = "latch_refresh (not when the token came in the body)"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    public Response refresh(
            @CookieParam(RefreshCookies.NAME) String cookie,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Sec-Fetch-Site") String fetchSite,
            @HeaderParam("Content-Type") String contentType,
            byte[] body,
            @Context RoutingContext rc) {
        crossSite.check(origin, fetchSite);
        String fromBody = refreshTokenFromBody(contentType, body);
        String presented = fromBody != null ? fromBody : cookie;
        if (presented == null || presented.isEmpty()) {
            throw ProblemException.unauthorized(
                    "A refresh token is required (cookie latch_refresh or JSON refreshToken).");
        }
        String ip = AuditService.clientIp(rc);
        rateLimiter.checkRefresh(ip);
        // only a first-party session: a refresh token issued to an OAuth client never becomes a Latch session
        Rotation rotation = refreshTokens.rotate(presented, AccessTokenIssuer.FIRST_PARTY_CLIENT);
        if (rotation instanceof Rotation.Refused) {
            rateLimiter.refreshFailed(ip);
            throw new ProblemException(
                    401,
                    "Unauthorized",
                    "The refresh token is invalid, expired or revoked.",
                    "about:blank",
                    Map.of(
                            "WWW-Authenticate",
                            dev.latch.common.error.ProblemMappers.BEARER_CHALLENGE,
                            "Set-Cookie",
                            RefreshCookies.cleared()));
        }
        Rotation.Rotated rotated = (Rotation.Rotated) rotation;
        return session(rotated.user(), rotated.issued(), fromBody != null);
    }

    @POST
    @Path("/signout")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Sign out: revoke the refresh token's family and clear the cookie")
    @APIResponse(responseCode = "204", description = "Signed out (also when the token was unknown)")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    public Response signOut(
            @CookieParam(RefreshCookies.NAME) String cookie,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Sec-Fetch-Site") String fetchSite,
            @HeaderParam("Content-Type") String contentType,
            byte[] body) {
        crossSite.check(origin, fetchSite);
        String fromBody = refreshTokenFromBody(contentType, body);
        String presented = fromBody != null ? fromBody : cookie;
        if (presented != null && !presented.isEmpty()) {
            refreshTokens
                    .revokeByToken(presented, "signout")
                    .ifPresent(family ->
                            audit.record(AuditService.SIGNOUT, null, null, Map.of("session_id", family.toString())));
        }
        // a token sent in the body belongs to the caller, not to this browser: its cookie is left alone
        return fromBody != null
                ? Response.noContent().build()
                : Response.noContent()
                        .header("Set-Cookie", RefreshCookies.cleared())
                        .build();
    }

    /**
     * The session answer. A refresh token that came in the body goes back in the body only: setting it
     * as this browser's cookie would let another site's page swap the browser into its own session.
     */
    private Response session(User user, RefreshTokenService.Issued refresh, boolean refreshInBody) {
        AccessTokenIssuer.Issued access = accessTokens.forUser(user, AccessTokenIssuer.FIRST_PARTY_CLIENT, List.of());
        Response.ResponseBuilder answer = Response.ok(new SessionResponse(
                access.token(),
                "Bearer",
                access.expiresIn(),
                UserView.of(user),
                refreshInBody ? refresh.token() : null));
        if (!refreshInBody) {
            answer.header("Set-Cookie", RefreshCookies.of(refresh.token(), refresh.expiresAt()));
        }
        return answer.header("Cache-Control", "no-store").build();
    }

    /** {@code refreshToken} of a JSON body; a body of any other media type (an HTML form's) is refused. */
    private String refreshTokenFromBody(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        if (!isJson(contentType)) {
            throw new ProblemException(
                    415, "Unsupported Media Type", "A refresh token in the body must be sent as application/json.");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("The body is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object.");
        }
        JsonNode token = node.get("refreshToken");
        if (token == null || token.isNull()) {
            return null;
        }
        if (!token.isTextual()) {
            throw ProblemException.badRequest("refreshToken must be a string.");
        }
        return token.asText();
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon >= 0 ? contentType.substring(0, semicolon) : contentType).trim();
        return type.equalsIgnoreCase(MediaType.APPLICATION_JSON);
    }
}
