package dev.latch.auth.federation;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.user.UserService;
import dev.latch.common.error.ProblemException;
import dev.latch.common.error.Validation;
import dev.latch.common.openapi.ProblemResponses;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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

    @RegisterForReflection
    public record FederatedSessionRequest(
            @NotNull(message = PROVIDER_RULE) @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}", message = PROVIDER_RULE)
            String provider,

            @NotBlank(message = SUBJECT_RULE) @Size(max = 255, message = SUBJECT_RULE)
            String subject,

            @Size(max = 320, message = "email is too long.") String email,
            Boolean emailVerified,
            String displayName,

            @Size(max = 2048, message = AVATAR_RULE) @Pattern(regexp = "(?s)https?://.*", message = AVATAR_RULE)
            String avatarUrl,

            @Size(min = 1, max = 2048, message = ISSUER_RULE) @Pattern(regexp = "(?s).*\\S.*", message = ISSUER_RULE)
            String issuer,

            Boolean allowSignup) {}

    private static final String PROVIDER_RULE = "provider must be a provider id (a-z, 0-9 and '-').";
    private static final String SUBJECT_RULE = "subject is required (at most 255 characters).";
    private static final String AVATAR_RULE = "avatarUrl must be an http(s) URL.";
    private static final String ISSUER_RULE = "issuer must be 1 to 2048 characters.";

    @RegisterForReflection
    public record FederatedSessionResponse(
            UUID userId, boolean existingUser, String accessToken, long expiresIn, String refreshToken) {}

    private final JsonWebToken jwt;
    private final UserService users;
    private final RefreshTokenService refreshTokens;
    private final AccessTokenIssuer accessTokens;
    private final AuditService audit;
    private final Validator validator;

    public FederatedSessionResource(
            JsonWebToken jwt,
            UserService users,
            RefreshTokenService refreshTokens,
            AccessTokenIssuer accessTokens,
            AuditService audit,
            Validator validator) {
        this.jwt = jwt;
        this.users = users;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.audit = audit;
        this.validator = validator;
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
        if (request == null) {
            throw ProblemException.badRequest(PROVIDER_RULE);
        }
        // validated after the scope check, so a client without sessions:issue learns nothing about the body
        Validation.validate(validator, request);
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
