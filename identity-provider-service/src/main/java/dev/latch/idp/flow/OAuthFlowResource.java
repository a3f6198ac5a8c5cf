package dev.latch.idp.flow;

import static jakarta.ws.rs.core.HttpHeaders.SET_COOKIE;

import dev.latch.common.config.PublicBaseUrl;
import dev.latch.common.error.ProblemException;
import dev.latch.common.error.Validation;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.RefreshCookie;
import dev.latch.common.web.SetCookie;
import dev.latch.idp.linking.AuthSessionClient;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderService;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The broker's browser flow: {@code /start} sends the browser to the provider; {@code /callback}
 * takes the single-use state, checks it belongs to this browser and this provider, finishes the login
 * and lands on {@code redirect_to} with the {@code latch_refresh} cookie — or on
 * {@code redirect_to?oauth_error=…} with a stable code for anything that failed after the provider.
 */
@Path("/v1/auth/oauth/{provider}")
public class OAuthFlowResource {

    public static final String BINDING_COOKIE = "latch_oauth";
    private static final Duration REFRESH_COOKIE_MAX_AGE = Duration.ofDays(30);
    /** What one state may carry back: bounds the Redis memory an unauthenticated /start can take. */
    static final int MAX_REDIRECT_TO_BYTES = 2048;

    @RegisterForReflection
    public record TokenRequest(
            @NotBlank(message = "code is required.") String code,

            @NotNull(message = REDIRECT_URI_RULE)
            @Pattern(regexp = "https?://[^\\s]{1,2040}", message = REDIRECT_URI_RULE)
            String redirectUri,

            // the app's own redirect carries the code through the browser: without PKCE, a code caught on the way
            // (another app on the redirect URI, a log, a referrer) is a session for whoever posts it here
            @NotNull(message = CODE_VERIFIER_RULE)
            @Pattern(regexp = "[A-Za-z0-9._~-]{43,128}", message = CODE_VERIFIER_RULE)
            String codeVerifier) {}

    private static final String REDIRECT_URI_RULE =
            "redirectUri must be the http(s) redirect URI used with the provider.";
    private static final String CODE_VERIFIER_RULE =
            "codeVerifier (RFC 7636, PKCE) is required: 43 to 128 of A-Z a-z 0-9 . _ ~ -.";

    @RegisterForReflection
    public record SessionResponse(
            String accessToken, String tokenType, long expiresIn, Map<String, Object> user, boolean existingUser) {}

    private final ProviderService providers;
    private final LoginService logins;
    private final StateStore states;
    private final StartRateLimiter startLimit;
    private final PublicBaseUrl publicBaseUrl;
    private final Validator validator;
    private final RedirectTargets redirectTargets;

    public OAuthFlowResource(
            ProviderService providers,
            LoginService logins,
            StateStore states,
            StartRateLimiter startLimit,
            PublicBaseUrl publicBaseUrl,
            Validator validator,
            RedirectTargets redirectTargets) {
        this.validator = validator;
        this.redirectTargets = redirectTargets;
        this.providers = providers;
        this.logins = logins;
        this.states = states;
        this.startLimit = startLimit;
        this.publicBaseUrl = publicBaseUrl;
    }

    @GET
    @Path("/start")
    @Operation(summary = "Start a login with this provider: a redirect to the provider, bound to this browser")
    @APIResponse(
            responseCode = "307",
            description = "To the provider's authorization endpoint",
            headers = {
                @Header(name = "Location", description = "The provider's authorization URL"),
                @Header(name = "Set-Cookie", description = "latch_oauth, binding the login state to this browser")
            })
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "429", ref = ProblemResponses.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "502", ref = ProblemResponses.BAD_GATEWAY)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response start(
            @PathParam("provider") String providerId,
            @QueryParam("redirect_to") String redirectTo,
            @CookieParam(BINDING_COOKIE) String bindingCookie,
            @Context RoutingContext rc) {
        startLimit.acquire(clientIp(rc));
        IdentityProvider provider = providers.usable(providerId);
        if (redirectTo != null && redirectTo.getBytes(StandardCharsets.UTF_8).length > MAX_REDIRECT_TO_BYTES) {
            throw ProblemException.badRequest("redirect_to is longer than " + MAX_REDIRECT_TO_BYTES + " bytes.");
        }
        redirectTargets.reason(redirectTo).ifPresent(reason -> {
            throw ProblemException.badRequest(reason + ".");
        });
        LoginService.Started started;
        try {
            started = logins.start(provider, redirectTo, callbackUrl(provider.id));
        } catch (LoginFailure e) {
            throw new ProblemException(502, "Bad Gateway", "The identity provider is not reachable.");
        }
        return Response.status(307)
                .header("Location", started.location())
                .header(SET_COOKIE, bindingCookie(LoginBinding.add(bindingCookie, started.state())))
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("/callback")
    @Operation(summary = "The provider's redirect back: finish the login and land on redirect_to")
    @APIResponse(
            responseCode = "307",
            description = "To redirect_to with the latch_refresh cookie set, or to "
                    + "redirect_to?oauth_error=CODE when the login failed after the provider",
            headers = {
                @Header(name = "Location", description = "redirect_to, as given at the start"),
                @Header(name = "Set-Cookie", description = "latch_refresh on success; latch_oauth updated")
            })
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response callback(
            @PathParam("provider") String providerId,
            @QueryParam("state") String state,
            @QueryParam("code") String code,
            @QueryParam("error") String error,
            @QueryParam("iss") String iss,
            @CookieParam(BINDING_COOKIE) String bindingCookie,
            @Context RoutingContext rc) {
        IdentityProvider provider = providers.usable(providerId);
        LoginService.Landing landing = logins.callback(
                provider,
                state,
                code,
                error,
                iss,
                bindingCookie,
                callbackUrl(provider.id),
                clientIp(rc),
                rc.request().getHeader("User-Agent"));
        Response.ResponseBuilder response = Response.status(307).header("Location", landing.location());
        if (landing.refreshToken() != null) {
            response.header(SET_COOKIE, refreshCookie(landing.refreshToken()));
        }
        return response.header(SET_COOKIE, bindingCookie(landing.binding()))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** For single-page apps that ran the provider redirect themselves. */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "For single-page apps that ran the provider redirect themselves: exchange the code (with PKCE)")
    @APIResponse(
            responseCode = "200",
            description = "The session",
            headers = @Header(name = "Set-Cookie", description = "latch_refresh"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SessionResponse.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "502", ref = ProblemResponses.BAD_GATEWAY)
    public Response token(@PathParam("provider") String providerId, TokenRequest request, @Context RoutingContext rc) {
        IdentityProvider provider = providers.usable(providerId);
        if (request == null) {
            throw ProblemException.badRequest("code is required.");
        }
        // after the provider lookup, so an unknown provider is 404 whatever the body
        Validation.validate(validator, request);
        try {
            AuthSessionClient.Session session = logins.token(
                    provider,
                    request.code(),
                    request.redirectUri(),
                    request.codeVerifier(),
                    clientIp(rc),
                    rc.request().getHeader("User-Agent"));
            return Response.ok(new SessionResponse(
                            session.accessToken(),
                            "Bearer",
                            session.expiresIn(),
                            Map.of("id", session.userId()),
                            session.existingUser()))
                    .header(SET_COOKIE, refreshCookie(session.refreshToken()))
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (LoginFailure e) {
            throw new ProblemException(
                    400,
                    "Bad Request",
                    "The provider login failed: " + e.error().wire() + ".");
        } catch (AuthSessionClient.SessionException e) {
            if (e.code() == LoginError.SIGNUP_DISABLED) {
                throw new ProblemException(
                        403,
                        "Forbidden",
                        "Sign-up is disabled and this provider may not create users.",
                        AuthSessionClient.SIGNUP_DISABLED,
                        Map.of());
            }
            if (e.refused()) {
                throw ProblemException.forbidden("This account may not sign in.");
            }
            throw new ProblemException(502, "Bad Gateway", "No session could be created.");
        }
    }

    private String callbackUrl(String providerId) {
        return publicBaseUrl.resolve("/v1/auth/oauth/" + providerId + "/callback");
    }

    /** The binding cookie with this value, removed when the value is empty; it lives as long as a state. */
    private String bindingCookie(String value) {
        long maxAge = value.isEmpty() ? 0 : states.ttl().toSeconds();
        return SetCookie.httpOnlyLax(BINDING_COOKIE, value, "/v1/auth/oauth", maxAge);
    }

    private static String refreshCookie(String token) {
        return RefreshCookie.of(token, REFRESH_COOKIE_MAX_AGE.toSeconds());
    }

    /** The client's address (from X-Forwarded-For when the peer is a trusted proxy). */
    private static String clientIp(RoutingContext rc) {
        var address = rc.request().remoteAddress();
        if (address == null) {
            return null;
        }
        // a forwarded value Vert.x could not take as an address (an unbracketed IPv6 loses its last group to
        // port parsing) has no hostAddress; its host is still the client's, and must not fall into a shared bucket
        return address.hostAddress() != null ? address.hostAddress() : address.host();
    }
}
