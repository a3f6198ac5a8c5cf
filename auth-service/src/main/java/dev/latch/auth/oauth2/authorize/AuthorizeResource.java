package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.browser.Csrf;
import dev.latch.auth.browser.SessionCookie;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2): GET with the request in the query, POST with it as
 * a form. A request whose client or redirect URI cannot be trusted is answered with a 400 page; every other answer
 * is a redirect to the client's registered redirect URI, or the login or consent page first.
 */
@Path("/oauth2/authorize")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "OpenID Provider", description = "Authorization code flow, login and consent pages")
public class AuthorizeResource {

    private final AuthorizationRequests requests;
    private final AuthorizationFlow flow;
    private final BrowserSessionService sessions;

    public AuthorizeResource(AuthorizationRequests requests, AuthorizationFlow flow, BrowserSessionService sessions) {
        this.requests = requests;
        this.flow = flow;
        this.sessions = sessions;
    }

    @GET
    @Operation(summary = "Authorization request (response_type=code), parameters in the query")
    @APIResponse(
            responseCode = "302",
            description = "To the redirect URI (code or error, state, iss), or to the login page")
    @APIResponse(
            responseCode = "200",
            description = "The consent page, or the form_post answer",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "400",
            description = "Unknown client or unregistered redirect URI: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response get(
            @Context UriInfo uri,
            @CookieParam(SessionCookie.NAME) String session,
            @CookieParam(Csrf.COOKIE) String csrf) {
        return authorize(uri.getQueryParameters(), session, csrf, 302);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Authorization request (response_type=code), parameters as a form")
    @APIResponse(
            responseCode = "303",
            description = "To the redirect URI (code or error, state, iss), or the login page")
    @APIResponse(
            responseCode = "200",
            description = "The consent page, or the form_post answer",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "400",
            description = "Unknown client or unregistered redirect URI: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response post(
            MultivaluedMap<String, String> form,
            @CookieParam(SessionCookie.NAME) String session,
            @CookieParam(Csrf.COOKIE) String csrf) {
        return authorize(form, session, csrf, 303);
    }

    private Response authorize(MultivaluedMap<String, String> params, String session, String csrf, int redirect) {
        try {
            AuthorizationRequest request = requests.read(params);
            Response answer =
                    flow.proceed(request, null, new AuthorizationFlow.Browser(sessions.current(session), csrf), false);
            return redirect == 302 && answer.getStatus() == 303 ? found(answer) : answer;
        } catch (AuthorizationErrors.Untrusted e) {
            return flow.untrusted(e);
        } catch (AuthorizationErrors.Redirected e) {
            Response answer = flow.error(e);
            return redirect == 302 && answer.getStatus() == 303 ? found(answer) : answer;
        }
    }

    /** The same redirect as a 302 (the answer to a GET). */
    private static Response found(Response seeOther) {
        return Response.fromResponse(seeOther).status(302).build();
    }
}
