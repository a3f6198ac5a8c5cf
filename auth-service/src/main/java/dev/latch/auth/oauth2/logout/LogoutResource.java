package dev.latch.auth.oauth2.logout;

import dev.latch.auth.browser.BrowserSession;
import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.browser.Csrf;
import dev.latch.auth.browser.PageForms;
import dev.latch.auth.browser.SessionCookie;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.authorize.AuthorizationFlow;
import dev.latch.auth.page.Pages;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OIDC RP-Initiated Logout 1.0. With a valid {@code id_token_hint} the client proves it held the user's ID token,
 * so the user's browser session (the hint's {@code sid}, and this browser's session when it is the same user's)
 * ends at once. Without one, anybody's page could log a browser out (logout CSRF), so the user is asked first: the
 * page posts back here with a CSRF token, from this site. A {@code post_logout_redirect_uri} is followed only when
 * it is registered, exactly, for the client (the hint's audience or {@code client_id}); anything else gets an error
 * page, never a redirect.
 */
@Path("/oauth2/logout")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "OpenID Provider")
public class LogoutResource {

    private static final int MAX_STATE = 2048;

    private final IdTokenHints hints;
    private final ClientRegistry clients;
    private final BrowserSessionService sessions;
    private final LogoutService logout;
    private final PageForms forms;
    private final Pages pages;

    public LogoutResource(
            IdTokenHints hints,
            ClientRegistry clients,
            BrowserSessionService sessions,
            LogoutService logout,
            PageForms forms,
            Pages pages) {
        this.hints = hints;
        this.clients = clients;
        this.sessions = sessions;
        this.logout = logout;
        this.forms = forms;
        this.pages = pages;
    }

    /** Where the browser goes afterwards: the client's registered URI (with state), or the signed-out page. */
    private record Destination(Optional<ClientRegistry.Client> client, String redirectUri, String state) {}

    /** A request that may not be followed: answered with an error page. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @GET
    @Operation(summary = "RP-initiated logout (id_token_hint, post_logout_redirect_uri, state, client_id)")
    @APIResponse(
            responseCode = "302",
            description = "Signed out: to the registered post_logout_redirect_uri, with state")
    @APIResponse(
            responseCode = "200",
            description = "Signed out (no post_logout_redirect_uri), or without id_token_hint the confirmation page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "400",
            description = "An invalid id_token_hint, unknown client, or unregistered post_logout_redirect_uri: an"
                    + " error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response get(
            @QueryParam("id_token_hint") String idTokenHint,
            @QueryParam("post_logout_redirect_uri") String postLogoutRedirectUri,
            @QueryParam("state") String state,
            @QueryParam("client_id") String clientId,
            @CookieParam(SessionCookie.NAME) String sessionCookie,
            @CookieParam(Csrf.COOKIE) String csrfCookie) {
        Optional<IdTokenHints.Hint> hint = Optional.empty();
        Destination destination;
        try {
            if (idTokenHint != null && !idTokenHint.isEmpty()) {
                hint = Optional.of(hints.read(idTokenHint)
                        .orElseThrow(() -> new Refused("The id_token_hint is not a valid ID token of this server.")));
            }
            destination = destination(hint.map(IdTokenHints.Hint::clientId), clientId, postLogoutRedirectUri, state);
        } catch (Refused e) {
            return refused(e);
        }
        Optional<BrowserSessionService.Current> current = sessions.current(sessionCookie);
        String client = destination.client().map(ClientRegistry.Client::id).orElse(null);
        if (hint.isPresent()) {
            IdTokenHints.Hint h = hint.get();
            Optional<BrowserSession> hinted = h.sessionId().flatMap(sid -> logout.liveSessionOf(sid, h.userId()));
            hinted.ifPresent(s -> logout.end(s, client));
            boolean currentIsTheirs =
                    current.isPresent() && current.get().user().id.equals(h.userId());
            if (currentIsTheirs
                    && hinted.filter(s -> s.id.equals(current.get().session().id))
                            .isEmpty()) {
                // the user's session in this browser, though the client's tokens came through another of theirs
                logout.end(current.get().session(), client);
            }
            return signedOut(destination, 302, current.isEmpty() || currentIsTheirs);
        }
        if (current.isEmpty()) {
            // nothing to end, so nothing to confirm
            return signedOut(destination, 302, true);
        }
        String csrf = Csrf.tokenFor(csrfCookie);
        List<Pages.Field> fields = new ArrayList<>();
        if (client != null) {
            fields.add(new Pages.Field("client_id", client));
        }
        if (destination.redirectUri() != null) {
            fields.add(new Pages.Field("post_logout_redirect_uri", destination.redirectUri()));
        }
        if (destination.state() != null) {
            fields.add(new Pages.Field("state", destination.state()));
        }
        String from = destination
                .client()
                .map(c -> " " + c.name() + " asks you to sign out.")
                .orElse("");
        Response page = pages.message(
                200,
                "Sign out",
                "You are signed in as " + current.get().user().username + "." + from
                        + " Do you want to sign out of Latch?",
                false,
                new Pages.Form("/oauth2/logout", csrf, fields, "Sign out"),
                destination.redirectUri() == null ? List.of() : List.of(destination.redirectUri()));
        return AuthorizationFlow.withCsrf(page, csrf, csrfCookie);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "The logout confirmation page's answer")
    @APIResponse(
            responseCode = "303",
            description = "Signed out: to the registered post_logout_redirect_uri, with state")
    @APIResponse(
            responseCode = "200",
            description = "Signed out (no post_logout_redirect_uri)",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "400",
            description = "An unknown client or unregistered post_logout_redirect_uri: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    @APIResponse(
            responseCode = "403",
            description = "A cross-site post or a wrong CSRF token: an error page",
            content = @Content(mediaType = MediaType.TEXT_HTML))
    public Response confirm(
            @FormParam("csrf") String csrf,
            @FormParam("post_logout_redirect_uri") String postLogoutRedirectUri,
            @FormParam("state") String state,
            @FormParam("client_id") String clientId,
            @CookieParam(SessionCookie.NAME) String sessionCookie,
            @CookieParam(Csrf.COOKIE) String csrfCookie,
            @HeaderParam("Origin") String origin,
            @HeaderParam("Sec-Fetch-Site") String fetchSite) {
        Optional<Response> refused =
                forms.refused(origin, fetchSite, csrfCookie, csrf, "Go back to the application and sign out again.");
        if (refused.isPresent()) {
            return refused.get();
        }
        Destination destination;
        try {
            destination = destination(Optional.empty(), clientId, postLogoutRedirectUri, state);
        } catch (Refused e) {
            return refused(e);
        }
        sessions.current(sessionCookie)
                .ifPresent(c -> logout.end(
                        c.session(),
                        destination.client().map(ClientRegistry.Client::id).orElse(null)));
        return signedOut(destination, 303, true);
    }

    /** The client (the hint's audience and client_id must agree) and its exactly registered redirect URI. */
    private Destination destination(
            Optional<String> hintClient, String clientId, String postLogoutRedirectUri, String state) {
        if (clientId != null && clientId.isEmpty()) {
            clientId = null;
        }
        if (postLogoutRedirectUri != null && postLogoutRedirectUri.isEmpty()) {
            postLogoutRedirectUri = null;
        }
        if (state != null && state.length() > MAX_STATE) {
            throw new Refused("The state parameter is too long.");
        }
        if (hintClient.isPresent() && clientId != null && !hintClient.get().equals(clientId)) {
            throw new Refused("client_id is not the client the id_token_hint was issued to.");
        }
        String id = hintClient.orElse(clientId);
        Optional<ClientRegistry.Client> client = Optional.empty();
        if (id != null) {
            client = Optional.of(clients.find(id).orElseThrow(() -> new Refused("The client is unknown.")));
        }
        if (postLogoutRedirectUri != null) {
            if (client.isEmpty()) {
                throw new Refused("post_logout_redirect_uri needs id_token_hint or client_id to name the client.");
            }
            if (!client.get().postLogoutRedirectUris().contains(postLogoutRedirectUri)) {
                throw new Refused("The post_logout_redirect_uri is not registered for this client.");
            }
        }
        return new Destination(client, postLogoutRedirectUri, postLogoutRedirectUri == null ? null : state);
    }

    private Response signedOut(Destination destination, int redirectStatus, boolean clearCookie) {
        Response answer;
        if (destination.redirectUri() != null) {
            StringBuilder uri = new StringBuilder(destination.redirectUri());
            if (destination.state() != null) {
                uri.append(destination.redirectUri().contains("?") ? '&' : '?')
                        .append("state=")
                        .append(URLEncoder.encode(destination.state(), StandardCharsets.UTF_8));
            }
            answer = Response.status(redirectStatus)
                    .location(URI.create(uri.toString()))
                    .header("Cache-Control", "no-store")
                    .build();
        } else {
            answer = pages.message(200, "You are signed out", "You can close this page.", false);
        }
        if (!clearCookie) {
            return answer;
        }
        return Response.fromResponse(answer)
                .header("Set-Cookie", SessionCookie.cleared())
                .build();
    }

    private Response refused(Refused e) {
        return pages.message(
                400,
                "This sign-out request cannot be completed",
                e.getMessage() + " The application that sent you here may be misconfigured; you were not signed out.",
                true);
    }
}
