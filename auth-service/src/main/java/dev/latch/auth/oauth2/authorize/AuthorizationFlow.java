package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.browser.Csrf;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.authorize.AuthorizationErrors.Target;
import dev.latch.auth.page.Pages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happens to a validated authorization request: the login page when the browser has no (recent enough)
 * session, the consent page when a client that is not first-party has not been allowed these scopes, and otherwise
 * a code, sent to the redirect URI with {@code state} and {@code iss} (RFC 9207) by query or form post.
 */
@ApplicationScoped
public class AuthorizationFlow {

    public static final String CONSENT_PATH = "/oauth2/consent";

    private final AuthConfig config;
    private final ClientRegistry clients;
    private final PendingRequests pending;
    private final Consents consents;
    private final AuthorizationCodes codes;
    private final Pages pages;

    public AuthorizationFlow(
            AuthConfig config,
            ClientRegistry clients,
            PendingRequests pending,
            Consents consents,
            AuthorizationCodes codes,
            Pages pages) {
        this.config = config;
        this.clients = clients;
        this.pending = pending;
        this.consents = consents;
        this.codes = codes;
        this.pages = pages;
    }

    /** The browser behind a request: its live session (if any) and its CSRF cookie (if any). */
    public record Browser(Optional<BrowserSessionService.Current> session, String csrfCookie) {}

    /**
     * Continues {@code request} (kept under {@code pendingId} when it already was) for {@code browser}; {@code
     * consented} when the user has just allowed it on the consent page.
     */
    public Response proceed(AuthorizationRequest request, String pendingId, Browser browser, boolean consented) {
        Target target = Target.of(request);
        ClientRegistry.Client client = clients.find(request.clientId())
                .orElseThrow(() -> new AuthorizationErrors.Untrusted("The client is no longer registered."));
        Optional<BrowserSessionService.Current> session = browser.session().filter(s -> satisfies(request, s));
        if (session.isEmpty()) {
            if (request.prompts("none")) {
                forget(pendingId);
                throw target.error("login_required", "The user is not signed in.");
            }
            String id = keep(request, pendingId);
            return Response.seeOther(URI.create("/login?request=" + id))
                    .header("Cache-Control", "no-store")
                    .build();
        }
        BrowserSessionService.Current current = session.get();
        boolean needsConsent = !client.firstParty()
                && !consented
                && (request.prompts("consent") || !consents.covers(current.user().id, client.id(), request.scopes()));
        if (needsConsent) {
            if (request.prompts("none")) {
                forget(pendingId);
                throw target.error("consent_required", "The user has not allowed this client these scopes.");
            }
            String id = keep(request.loggedInBy(current.session().id.toString()), pendingId);
            String csrf = Csrf.tokenFor(browser.csrfCookie());
            Response page = pages.consent(
                    CONSENT_PATH,
                    csrf,
                    id,
                    client.name(),
                    current.user().username,
                    ScopeWords.of(request.scopes()),
                    List.of(request.redirectUri()));
            return withCsrf(page, csrf, browser.csrfCookie());
        }
        forget(pendingId);
        String code = codes.issue(request, current);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        return answer(target, answer);
    }

    /** The refusal {@code error} at the client's redirect URI. */
    public Response error(AuthorizationErrors.Redirected e) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("error", e.error());
        if (e.getMessage() != null) {
            answer.put("error_description", e.getMessage());
        }
        return answer(e.target(), answer);
    }

    /** The page for a request that may not be redirected (unknown client, unregistered redirect URI). */
    public Response untrusted(AuthorizationErrors.Untrusted e) {
        return pages.message(
                400,
                "This sign-in request cannot be completed",
                e.getMessage() + " The application that sent you here may be misconfigured; no data was sent to it.",
                true);
    }

    /** The session is recent enough for the request, or is the one that just logged in for it. */
    private static boolean satisfies(AuthorizationRequest request, BrowserSessionService.Current s) {
        if (request.sessionId() != null) {
            return request.sessionId().equals(s.session().id.toString());
        }
        if (request.prompts("login")) {
            return false;
        }
        return request.maxAge() == null
                || !s.session().authTime.plusSeconds(request.maxAge()).isBefore(Instant.now());
    }

    private Response answer(Target target, Map<String, String> answer) {
        if (target.state() != null) {
            answer.put("state", target.state());
        }
        answer.put("iss", config.token().issuer());
        if ("form_post".equals(target.responseMode())) {
            List<Pages.Field> fields = new ArrayList<>();
            answer.forEach((k, v) -> fields.add(new Pages.Field(k, v)));
            return pages.formPost(target.redirectUri(), fields);
        }
        StringBuilder uri = new StringBuilder(target.redirectUri());
        char sep = target.redirectUri().contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : answer.entrySet()) {
            uri.append(sep)
                    .append(e.getKey())
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return Response.seeOther(URI.create(uri.toString()))
                .header("Cache-Control", "no-store")
                .build();
    }

    private String keep(AuthorizationRequest request, String pendingId) {
        if (pendingId == null) {
            return pending.save(request);
        }
        pending.update(pendingId, request);
        return pendingId;
    }

    private void forget(String pendingId) {
        if (pendingId != null) {
            pending.remove(pendingId);
        }
    }

    /** Sets the CSRF cookie when the page's token is new. */
    public static Response withCsrf(Response page, String csrf, String csrfCookie) {
        if (csrf.equals(csrfCookie)) {
            return page;
        }
        return Response.fromResponse(page)
                .header("Set-Cookie", Csrf.setCookie(csrf))
                .build();
    }
}
