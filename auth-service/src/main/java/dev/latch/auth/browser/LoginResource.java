package dev.latch.auth.browser;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.authorize.AuthorizationErrors;
import dev.latch.auth.oauth2.authorize.AuthorizationFlow;
import dev.latch.auth.oauth2.authorize.AuthorizationRequest;
import dev.latch.auth.oauth2.authorize.PendingRequests;
import dev.latch.auth.page.Pages;
import dev.latch.auth.ratelimit.SignInRateLimiter;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserRepository;
import dev.latch.auth.user.UserService;
import dev.latch.common.error.ProblemException;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The login page: username and password (with the sign-in API's brute-force limits and audit events) or an identity
 * provider of the broker. A successful login starts a browser session ({@code latch_session}) and finishes the
 * authorization request it was shown for, or goes back to the local page that asked for it ({@code return_to}).
 */
@Path("/login")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "OpenID Provider")
public class LoginResource {

    private static final String BAD_CREDENTIALS = "The username or password is incorrect.";

    private final Pages pages;
    private final PendingRequests pending;
    private final AuthorizationFlow flow;
    private final ClientRegistry clients;
    private final UserService users;
    private final SignInRateLimiter rateLimiter;
    private final AuditService audit;
    private final BrowserSessionService sessions;
    private final PageForms forms;
    private final IdentityProviderLinks providers;
    private final UserRepository userRepository;

    public LoginResource(
            Pages pages,
            PendingRequests pending,
            AuthorizationFlow flow,
            ClientRegistry clients,
            UserService users,
            SignInRateLimiter rateLimiter,
            AuditService audit,
            BrowserSessionService sessions,
            PageForms forms,
            IdentityProviderLinks providers,
            UserRepository userRepository) {
        this.pages = pages;
        this.pending = pending;
        this.flow = flow;
        this.clients = clients;
        this.users = users;
        this.rateLimiter = rateLimiter;
        this.audit = audit;
        this.sessions = sessions;
        this.forms = forms;
        this.providers = providers;
        this.userRepository = userRepository;
    }

    @GET
    @Operation(summary = "The login page")
    @APIResponse(
            responseCode = "200",
            description = "The login form",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "400",
            description = "An unknown or expired authorization request: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response page(
            @QueryParam("request") String requestId,
            @QueryParam("return_to") String returnTo,
            @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Optional<AuthorizationRequest> request = Optional.empty();
        if (requestId != null && !requestId.isEmpty()) {
            request = pending.find(requestId);
            if (request.isEmpty()) {
                return expired();
            }
        }
        String username = request.map(AuthorizationRequest::loginHint).orElse(null);
        return form(200, requestId, request, localReturn(returnTo), username, null, csrfCookie);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Sign in at the login page")
    @APIResponse(responseCode = "303", description = "Signed in: to the client (code), the consent page or return_to")
    @APIResponse(
            responseCode = "200",
            description = "Signed in without a request to finish: a confirmation page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "401",
            description = "Wrong username or password: the form again, with the error",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "403",
            description = "A cross-site post or a wrong CSRF token: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "429",
            description = "Too many attempts: the form again, with the error",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response signIn(
            @FormParam("username") String rawUsername,
            @FormParam("password") String password,
            @FormParam("csrf") String csrf,
            @FormParam("request") String requestId,
            @FormParam("return_to") String returnTo,
            @CookieParam(Csrf.COOKIE) String csrfCookie,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Sec-Fetch-Site") String fetchSite,
            @Context RoutingContext rc) {
        Optional<Response> refused =
                forms.refused(origin, fetchSite, csrfCookie, csrf, "Reload the sign-in page and try again.");
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<AuthorizationRequest> request = Optional.empty();
        if (requestId != null && !requestId.isEmpty()) {
            request = pending.find(requestId);
            if (request.isEmpty()) {
                return expired();
            }
        }
        String target = localReturn(returnTo);
        // the field takes a username or an email address; limits and audit events count the username it names
        String username = UserService.normalizeUsername(rawUsername == null ? "" : rawUsername);
        if (username.contains("@") && username.length() <= 320) {
            username = userRepository.findByEmail(username).map(u -> u.username).orElse(username);
        }
        if (username.isEmpty()
                || password == null
                || password.isEmpty()
                || password.length() > UserService.MAX_PASSWORD_LENGTH
                || username.length() > 320) {
            return form(400, requestId, request, target, rawUsername, "Enter your username and password.", csrfCookie);
        }
        String ip = AuditService.clientIp(rc);
        try {
            rateLimiter.reserveSignIn(username, ip);
        } catch (ProblemException e) {
            if (e.status() != 429) {
                return pages.message(e.status(), "Sign-in is unavailable", e.detail(), true);
            }
            return form(429, requestId, request, target, rawUsername, e.detail() + " Try again later.", csrfCookie);
        }
        User user = users.authenticate(username, password).filter(User::active).orElse(null);
        if (user == null) {
            audit.record(
                    AuditService.SIGNIN_FAILED,
                    null,
                    username.length() > 128 ? username.substring(0, 128) : username,
                    Map.of("reason", "bad_credentials"));
            return form(401, requestId, request, target, rawUsername, BAD_CREDENTIALS, csrfCookie);
        }
        rateLimiter.signInSucceeded(username, ip);
        BrowserSessionService.Started started =
                sessions.start(user, BrowserSession.PASSWORD, ip, rc.request().getHeader("User-Agent"));
        audit.record(
                AuditService.SIGNIN_SUCCEEDED,
                user.id.toString(),
                user.username,
                Map.of("browser_session_id", started.session().id.toString()));
        return continueAfterLogin(user, started, request, requestId, target, csrfCookie);
    }

    /** After a login (by password here, or through an identity provider): the request it was for, or the page. */
    Response continueAfterLogin(
            User user,
            BrowserSessionService.Started started,
            Optional<AuthorizationRequest> request,
            String requestId,
            String returnTo,
            String csrfCookie) {
        Response answer;
        if (request.isPresent()) {
            AuthorizationRequest loggedIn =
                    request.get().loggedInBy(started.session().id.toString());
            pending.update(requestId, loggedIn);
            BrowserSessionService.Current current = new BrowserSessionService.Current(started.session(), user);
            try {
                answer = flow.proceed(
                        loggedIn, requestId, new AuthorizationFlow.Browser(Optional.of(current), csrfCookie), false);
            } catch (AuthorizationErrors.Untrusted e) {
                answer = flow.untrusted(e);
            } catch (AuthorizationErrors.Redirected e) {
                answer = flow.error(e);
            }
        } else if (returnTo != null) {
            answer = Response.seeOther(URI.create(returnTo)).build();
        } else {
            answer = pages.message(200, "You are signed in", "You can close this page.", false);
        }
        return Response.fromResponse(answer)
                .header("Set-Cookie", started.setCookie())
                .build();
    }

    /** The login page again, with {@code error} shown (a login through an identity provider that did not finish). */
    Response formWithError(
            int status,
            String requestId,
            Optional<AuthorizationRequest> request,
            String returnTo,
            String error,
            String csrfCookie) {
        String username = request.map(AuthorizationRequest::loginHint).orElse(null);
        return form(status, requestId, request, localReturn(returnTo), username, error, csrfCookie);
    }

    private Response form(
            int status,
            String requestId,
            Optional<AuthorizationRequest> request,
            String returnTo,
            String username,
            String error,
            String csrfCookie) {
        String csrf = Csrf.tokenFor(csrfCookie);
        Optional<ClientRegistry.Client> client = request.flatMap(r -> clients.find(r.clientId()));
        List<String> formTargets = request.map(r -> List.of(r.redirectUri())).orElse(List.of());
        Response page = pages.login(
                status,
                csrf,
                request.isPresent() ? requestId : null,
                returnTo,
                client.map(ClientRegistry.Client::name).orElse(null),
                username,
                error,
                providers.links(request.isPresent() ? requestId : null, returnTo, csrf),
                formTargets);
        return AuthorizationFlow.withCsrf(page, csrf, csrfCookie);
    }

    Response expired() {
        return pages.message(
                400, "This sign-in link has expired", "Go back to the application and sign in again.", true);
    }

    /** {@code return_to} when it is a page of this service that asks for a login ({@code /device}); else null. */
    static String localReturn(String returnTo) {
        if (returnTo == null || !(returnTo.equals("/device") || returnTo.startsWith("/device?"))) {
            return null;
        }
        return returnTo.matches("[\\x21-\\x7E]{1,512}") ? returnTo : null;
    }
}
