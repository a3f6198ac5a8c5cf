package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.browser.Csrf;
import dev.latch.auth.browser.PageForms;
import dev.latch.auth.browser.SessionCookie;
import dev.latch.auth.page.Pages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The consent page's answer: {@code decision=allow} remembers the consent and sends the code, {@code deny} sends
 * {@code access_denied}; both to the client's redirect URI. Only the browser session that was asked may answer, with
 * the page's CSRF token, from this site.
 */
@Path(AuthorizationFlow.CONSENT_PATH)
@Produces(MediaType.TEXT_HTML)
@Tag(name = "OpenID Provider")
public class ConsentResource {

    private final PendingRequests pending;
    private final AuthorizationFlow flow;
    private final BrowserSessionService sessions;
    private final Consents consents;
    private final PageForms forms;
    private final Pages pages;

    public ConsentResource(
            PendingRequests pending,
            AuthorizationFlow flow,
            BrowserSessionService sessions,
            Consents consents,
            PageForms forms,
            Pages pages) {
        this.pending = pending;
        this.flow = flow;
        this.sessions = sessions;
        this.consents = consents;
        this.forms = forms;
        this.pages = pages;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "The consent page's decision (allow or deny)")
    @APIResponse(responseCode = "303", description = "To the redirect URI: code, or error=access_denied")
    @APIResponse(
            responseCode = "400",
            description = "An expired or unknown request: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "403",
            description = "A cross-site post or a wrong CSRF token: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response decide(
            @FormParam("request") String requestId,
            @FormParam("decision") String decision,
            @FormParam("csrf") String csrf,
            @CookieParam(Csrf.COOKIE) String csrfCookie,
            @CookieParam(SessionCookie.NAME) String sessionCookie,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Sec-Fetch-Site") String fetchSite) {
        Optional<Response> refused =
                forms.refused(origin, fetchSite, csrfCookie, csrf, "Go back to the application and sign in again.");
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<AuthorizationRequest> found = pending.find(requestId);
        Optional<BrowserSessionService.Current> session = sessions.current(sessionCookie);
        if (found.isEmpty()
                || session.isEmpty()
                || found.get().sessionId() == null
                || !found.get().sessionId().equals(session.get().session().id.toString())) {
            return pages.message(
                    400,
                    "This request has expired",
                    "Go back to the application and start again; nothing was shared with it.",
                    true);
        }
        AuthorizationRequest request = found.get();
        if (!"allow".equals(decision) && !"deny".equals(decision)) {
            return pages.message(400, "No decision", "Choose Allow or Deny.", true);
        }
        if (!pending.remove(requestId)) {
            return pages.message(400, "This request was already answered", "Go back to the application.", true);
        }
        AuthorizationErrors.Target target = AuthorizationErrors.Target.of(request);
        if ("deny".equals(decision)) {
            return flow.error(target.error("access_denied", "The user denied the request."));
        }
        consents.remember(session.get().user().id, request.clientId(), request.scopes());
        try {
            return flow.proceed(request, null, new AuthorizationFlow.Browser(session, csrfCookie), true);
        } catch (AuthorizationErrors.Untrusted e) {
            return flow.untrusted(e);
        } catch (AuthorizationErrors.Redirected e) {
            return flow.error(e);
        }
    }
}
