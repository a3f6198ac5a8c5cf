package dev.latch.auth.browser;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.oauth2.authorize.AuthorizationRequest;
import dev.latch.auth.oauth2.authorize.PendingRequests;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.user.User;
import dev.latch.common.security.SecureTokens;
import dev.latch.common.web.RefreshCookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The way back from the broker to the login page: the broker has just set {@code latch_refresh} (a first-party
 * session for the provider's user) and sent the browser here. Under {@code /v1/auth}, so the browser sends that
 * cookie. The fresh session is taken over (revoked: it only carried the login here), a browser session with
 * {@code amr} {@code fed} starts, and the authorization request the login page was shown for is finished.
 */
@Path(IdentityProviderLinks.CONTINUE_PATH)
@Produces(MediaType.TEXT_HTML)
@Tag(name = "OpenID Provider")
public class FederatedContinueResource {

    private static final String NOT_FINISHED =
            "The sign-in through the identity provider could not be finished." + " Try again.";

    private final LoginResource login;
    private final PendingRequests pending;
    private final RefreshTokenService refreshTokens;
    private final BrowserSessionService sessions;
    private final AuditService audit;
    private final Duration maxAge;

    public FederatedContinueResource(
            LoginResource login,
            PendingRequests pending,
            RefreshTokenService refreshTokens,
            BrowserSessionService sessions,
            AuditService audit,
            AuthConfig config) {
        this.login = login;
        this.pending = pending;
        this.refreshTokens = refreshTokens;
        this.sessions = sessions;
        this.audit = audit;
        this.maxAge = config.authorization().federatedHandoverMaxAge();
    }

    @GET
    @Operation(summary = "Back from an identity provider: finish the login page's authorization request")
    @APIResponse(responseCode = "303", description = "Signed in: to the client (code), the consent page or return_to")
    @APIResponse(
            responseCode = "200",
            description = "Signed in without a request to finish: a confirmation page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "400",
            description = "The provider login failed (oauth_error), no fresh session came with the browser, or the "
                    + "link was not made for this browser: the login page again, with the error",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response resume(
            @QueryParam("request") String requestId,
            @QueryParam("return_to") String returnTo,
            @QueryParam("bind") String bind,
            @QueryParam("oauth_error") String oauthError,
            @CookieParam(RefreshCookie.NAME) String refreshCookie,
            @CookieParam(Csrf.COOKIE) String csrfCookie,
            @Context RoutingContext rc) {
        Optional<AuthorizationRequest> request = Optional.empty();
        if (requestId != null && !requestId.isEmpty()) {
            request = pending.find(requestId);
            if (request.isEmpty()) {
                return noStore(login.expired());
            }
        } else {
            requestId = null;
        }
        String target = LoginResource.localReturn(returnTo);
        if (oauthError != null) {
            return failed(request, requestId, target, inWords(oauthError), csrfCookie);
        }
        // only the browser that was shown the login page may finish its request: another site cannot make this
        // browser hand its fresh session to a request of the other site's choosing
        if (csrfCookie == null
                || bind == null
                || !SecureTokens.constantTimeEquals(
                        IdentityProviderLinks.binding(csrfCookie, requestId, target), bind)) {
            return failed(request, requestId, target, NOT_FINISHED, csrfCookie);
        }
        Optional<User> user = refreshTokens.takeHandover(refreshCookie, AccessTokenIssuer.FIRST_PARTY_CLIENT, maxAge);
        if (user.isEmpty()) {
            return failed(request, requestId, target, NOT_FINISHED, csrfCookie);
        }
        BrowserSessionService.Started started = sessions.start(
                user.get(),
                BrowserSession.FEDERATED,
                AuditService.clientIp(rc),
                rc.request().getHeader("User-Agent"));
        audit.record(
                AuditService.SIGNIN_SUCCEEDED,
                user.get().id.toString(),
                user.get().username,
                Map.of("browser_session_id", started.session().id.toString(), "method", "federated"));
        Response answer = login.continueAfterLogin(user.get(), started, request, requestId, target, csrfCookie);
        return noStore(Response.fromResponse(answer)
                .header("Set-Cookie", RefreshCookie.cleared())
                .build());
    }

    /**
     * The login page with the error. A {@code latch_refresh} that came along is left alone: a link to this page from
     * anywhere must not sign the browser out of the session it already has.
     */
    private Response failed(
            Optional<AuthorizationRequest> request,
            String requestId,
            String returnTo,
            String error,
            String csrfCookie) {
        return noStore(login.formWithError(400, requestId, request, returnTo, error, csrfCookie));
    }

    private static Response noStore(Response response) {
        return Response.fromResponse(response)
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The broker's {@code oauth_error} codes (its README), in words for the login page. */
    static String inWords(String code) {
        return switch (code) {
            case "access_denied" -> "The sign-in was cancelled at the identity provider.";
            case "signup_disabled" -> "There is no account for this identity yet, and sign-up is disabled.";
            case "account_disabled" -> "This account is disabled.";
            case "temporarily_unavailable" ->
                "Sign-in through the identity provider is temporarily unavailable." + " Try again later.";
            case "provider_unavailable" -> "The identity provider is not available. Try again later.";
            default ->
                code.matches("[a-z0-9_]{1,64}")
                        ? "The sign-in through the identity provider failed (" + code + ")."
                        : "The sign-in through the identity provider failed.";
        };
    }
}
