package dev.latch.auth.federation;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.user.UserService;
import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The broker's way in: after a provider login, identity-provider-service asks for a Latch session
 * with a client-credentials token that carries the scope {@code sessions:issue}.
 */
@Path("/internal/v1/federated-sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class FederatedSessionResource {

    public static final String SCOPE = "sessions:issue";
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    @RegisterForReflection
    public record FederatedSessionRequest(
            String provider,
            String subject,
            String email,
            Boolean emailVerified,
            String displayName,
            String avatarUrl,
            String issuer,
            Boolean allowSignup) {}

    @RegisterForReflection
    public record FederatedSessionResponse(
            UUID userId, boolean existingUser, String accessToken, long expiresIn, String refreshToken) {}

    private final JsonWebToken jwt;
    private final UserService users;
    private final RefreshTokenService refreshTokens;
    private final AccessTokenIssuer accessTokens;
    private final AuditService audit;

    public FederatedSessionResource(
            JsonWebToken jwt,
            UserService users,
            RefreshTokenService refreshTokens,
            AccessTokenIssuer accessTokens,
            AuditService audit) {
        this.jwt = jwt;
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.audit = audit;
    }

    @POST
    @Operation(
            summary =
                    "The broker's way in: a Latch session for a finished provider login (client token, scope sessions:issue)")
    @APIResponse(responseCode = "200", description = "The session")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public FederatedSessionResponse create(FederatedSessionRequest request, @Context RoutingContext rc) {
        String scope = jwt.getClaim("scope");
        boolean clientToken = jwt.getClaim("username") == null;
        if (!clientToken || scope == null || !Arrays.asList(scope.split(" ")).contains(SCOPE)) {
            throw ProblemException.forbidden("A client-credentials token with scope " + SCOPE + " is required.");
        }
        if (request == null
                || request.provider() == null
                || !PROVIDER.matcher(request.provider()).matches()) {
            throw ProblemException.badRequest("provider must be a provider id (a-z, 0-9 and '-').");
        }
        if (request.subject() == null
                || request.subject().isBlank()
                || request.subject().length() > 255) {
            throw ProblemException.badRequest("subject is required (at most 255 characters).");
        }
        if (request.email() != null && request.email().length() > 320) {
            throw ProblemException.badRequest("email is too long.");
        }
        if (request.avatarUrl() != null
                && (request.avatarUrl().length() > 2048
                        || !request.avatarUrl().startsWith("https://")
                                && !request.avatarUrl().startsWith("http://"))) {
            throw ProblemException.badRequest("avatarUrl must be an http(s) URL.");
        }
        if (request.issuer() != null
                && (request.issuer().isBlank() || request.issuer().length() > 2048)) {
            throw ProblemException.badRequest("issuer must be 1 to 2048 characters.");
        }
        String displayName = request.displayName() == null
                ? null
                : request.displayName()
                        .substring(0, Math.min(200, request.displayName().length()));
        UserService.Linked linked = users.linkFederated(new UserService.FederatedLogin(
                request.provider(),
                request.issuer(),
                request.subject(),
                request.email(),
                Boolean.TRUE.equals(request.emailVerified()),
                displayName,
                request.avatarUrl(),
                Boolean.TRUE.equals(request.allowSignup())));
        if (!linked.user().active()) {
            throw ProblemException.forbidden("This account is disabled.");
        }
        RefreshTokenService.Issued refresh = refreshTokens.issue(
                linked.user(),
                AccessTokenIssuer.FIRST_PARTY_CLIENT,
                "",
                rc.request().getHeader("X-Latch-Client-IP"),
                rc.request().getHeader("X-Latch-Client-User-Agent"));
        AccessTokenIssuer.Issued access =
                accessTokens.forUser(linked.user(), AccessTokenIssuer.FIRST_PARTY_CLIENT, List.of());
        audit.record(
                AuditService.oauthLinked(request.provider()),
                linked.user().id.toString(),
                linked.user().username,
                Map.of(
                        "existing_user",
                        linked.existingUser(),
                        "provider",
                        request.provider(),
                        "client_id",
                        String.valueOf((Object) jwt.getClaim("client_id"))));
        return new FederatedSessionResponse(
                linked.user().id, linked.existingUser(), access.token(), access.expiresIn(), refresh.token());
    }
}
