package dev.latch.auth.oauth2.device;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.browser.Csrf;
import dev.latch.auth.browser.PageForms;
import dev.latch.auth.browser.SessionCookie;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.authorize.AuthorizationFlow;
import dev.latch.auth.oauth2.authorize.ScopeWords;
import dev.latch.auth.page.Pages;
import dev.latch.auth.ratelimit.SignInRateLimiter;
import dev.latch.common.error.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The verification page of the device flow (RFC 8628 §3.3) at {@code {issuer}/device}: a signed-in user enters the
 * code their device shows, sees which client asks for what, and allows or denies it. Every post is checked like the
 * consent page's: from this site, with the page's CSRF token, by a live browser session.
 */
@Path(DeviceResource.PATH)
@Produces(MediaType.TEXT_HTML)
@Tag(name = "OpenID Provider")
public class DeviceResource {

    public static final String PATH = "/device";

    private static final String INVALID_CODE =
            "This code is not valid or has expired. Check the code on your device, or start again there.";

    private final DeviceAuthorizations requests;
    private final BrowserSessionService sessions;
    private final ClientRegistry clients;
    private final PageForms forms;
    private final SignInRateLimiter limiter;
    private final Pages pages;

    public DeviceResource(
            DeviceAuthorizations requests,
            BrowserSessionService sessions,
            ClientRegistry clients,
            PageForms forms,
            SignInRateLimiter limiter,
            Pages pages) {
        this.requests = requests;
        this.sessions = sessions;
        this.clients = clients;
        this.forms = forms;
        this.limiter = limiter;
        this.pages = pages;
    }

    @GET
    @Operation(summary = "The device page: enter the code a device shows (user_code prefills it)")
    @APIResponse(
            responseCode = "200",
            description = "The form to enter the code",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "303", description = "Not signed in: to the login page, which comes back here")
    public Response page(
            @QueryParam("user_code") String userCode,
            @CookieParam(SessionCookie.NAME) String sessionCookie,
            @CookieParam(Csrf.COOKIE) String csrfCookie) {
        String code = UserCodes.normalize(userCode);
        Optional<BrowserSessionService.Current> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return toLogin(code);
        }
        String csrf = Csrf.tokenFor(csrfCookie);
        return AuthorizationFlow.withCsrf(
                pages.device(200, csrf, session.get().user().username, code, null), csrf, csrfCookie);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "The device page's answer: a code (then the confirmation page), or decision allow or deny")
    @APIResponse(
            responseCode = "200",
            description = "The confirmation page (client and scopes, Allow and Deny), or the outcome of the decision",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(responseCode = "303", description = "Not signed in (any more): to the login page")
    @APIResponse(
            responseCode = "400",
            description = "An unknown, expired or already answered code: the form again, with the error; "
                    + "or no valid decision",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "429",
            description = "Too many wrong codes: the form again, with the error",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "403",
            description = "A cross-site post or a wrong CSRF token: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response answer(
            @FormParam("user_code") String userCode,
            @FormParam("decision") String decision,
            @FormParam("csrf") String csrf,
            @CookieParam(Csrf.COOKIE) String csrfCookie,
            @CookieParam(SessionCookie.NAME) String sessionCookie,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Sec-Fetch-Site") String fetchSite) {
        Optional<Response> refused =
                forms.refused(origin, fetchSite, csrfCookie, csrf, "Reload the device page and enter the code again.");
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<BrowserSessionService.Current> session = sessions.current(sessionCookie);
        if (session.isEmpty()) {
            return toLogin(UserCodes.normalize(userCode));
        }
        BrowserSessionService.Current current = session.get();
        try {
            limiter.checkUserCode(current.user().id);
        } catch (ProblemException e) {
            return e.status() == 429
                    ? pages.device(
                            429, csrf, current.user().username, typed(userCode), e.detail() + " Try again later.")
                    : pages.message(e.status(), "The device page is unavailable", e.detail(), true);
        }
        Optional<DeviceAuthorization> found = requests.pending(userCode);
        Optional<ClientRegistry.Client> client = found.flatMap(d -> clients.find(d.clientId));
        if (found.isEmpty() || client.isEmpty()) {
            limiter.userCodeFailed(current.user().id);
            return pages.device(400, csrf, current.user().username, typed(userCode), INVALID_CODE);
        }
        DeviceAuthorization request = found.get();
        if (decision == null || decision.isEmpty()) {
            List<String> scopes = request.scope.isBlank() ? List.of() : Arrays.asList(request.scope.split(" "));
            return pages.deviceConfirm(
                    csrf, request.userCode, client.get().name(), current.user().username, ScopeWords.of(scopes));
        }
        if ("allow".equals(decision)) {
            if (!requests.approve(request.userCode, current)) {
                return pages.device(400, csrf, current.user().username, request.userCode, INVALID_CODE);
            }
            return pages.message(
                    200,
                    "Device connected",
                    client.get().name() + " is now signed in as " + current.user().username
                            + ". You can close this page and go back to your device.",
                    false);
        }
        if ("deny".equals(decision)) {
            if (!requests.deny(request.userCode, current)) {
                return pages.device(400, csrf, current.user().username, request.userCode, INVALID_CODE);
            }
            return pages.message(
                    200,
                    "Request denied",
                    "Nothing was shared with " + client.get().name() + ". You can close this page.",
                    false);
        }
        return pages.message(400, "No decision", "Choose Allow or Deny.", true);
    }

    /** 303 to the login page, which comes back to this page (with the code, when it is one) after the login. */
    private static Response toLogin(String code) {
        String returnTo = code == null ? PATH : PATH + "?user_code=" + code;
        return Response.seeOther(URI.create("/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8)))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** What was typed, to show it again beside the error; short, since a code is. */
    private static String typed(String userCode) {
        if (userCode == null) {
            return null;
        }
        String trimmed = userCode.strip();
        return trimmed.length() > 16 ? trimmed.substring(0, 16) : trimmed;
    }
}
