package dev.latch.auth.page;

import dev.latch.common.security.SecureTokens;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pages a person sees (login, consent, device, messages, the form_post answer), rendered server-side with Qute,
 * no JavaScript needed (form_post submits itself, with a button when scripts are off). Every page is
 * {@code no-store}, may not be framed, and runs under a CSP that allows only its own inline style (by nonce) and
 * form posts to itself and to the origins given (a form post's redirect must be allowed by {@code form-action}).
 */
@ApplicationScoped
public class Pages {

    /** A link to an identity provider on the login page. */
    @TemplateData
    public record ProviderLink(String title, String url) {}

    /** One scope on the consent page, in words. */
    @TemplateData
    public record ScopeLine(String title, String description) {}

    /** A hidden field of a form. */
    @TemplateData
    public record Field(String name, String value) {}

    /** A confirmation form on a message page. */
    @TemplateData
    public record Form(String action, String csrf, List<Field> fields, String button) {}

    private final Engine engine;

    public Pages(Engine engine) {
        this.engine = engine;
    }

    public Response login(
            int status,
            String csrf,
            String requestId,
            String returnTo,
            String clientName,
            String username,
            String error,
            List<ProviderLink> providers,
            Collection<String> formTargets) {
        return render(
                status,
                "pages/login",
                Map.of(
                        "csrf", csrf,
                        "requestId", nullToEmpty(requestId),
                        "returnTo", nullToEmpty(returnTo),
                        "clientName", nullToEmpty(clientName),
                        "username", nullToEmpty(username),
                        "error", nullToEmpty(error),
                        "providers", providers),
                formTargets);
    }

    public Response consent(
            String action,
            String csrf,
            String requestId,
            String clientName,
            String username,
            List<ScopeLine> scopes,
            Collection<String> formTargets) {
        return render(
                200,
                "pages/consent",
                Map.of(
                        "action", action,
                        "csrf", csrf,
                        "requestId", requestId,
                        "clientName", clientName,
                        "username", username,
                        "scopes", scopes),
                formTargets);
    }

    public Response device(int status, String csrf, String username, String userCode, String error) {
        return render(
                status,
                "pages/device",
                Map.of(
                        "csrf",
                        csrf,
                        "username",
                        username,
                        "userCode",
                        nullToEmpty(userCode),
                        "error",
                        nullToEmpty(error)),
                List.of());
    }

    /** The device page's second step: which client asks for what, for the code entered; allow or deny. */
    public Response deviceConfirm(
            String csrf, String userCode, String clientName, String username, List<ScopeLine> scopes) {
        return render(
                200,
                "pages/device_confirm",
                Map.of(
                        "csrf", csrf,
                        "userCode", userCode,
                        "clientName", clientName,
                        "username", username,
                        "scopes", scopes),
                List.of());
    }

    /** A page that says one thing; {@code error} shows it as an alert. */
    public Response message(int status, String heading, String message, boolean error) {
        return message(status, heading, message, error, null, List.of());
    }

    public Response message(
            int status, String heading, String message, boolean error, Form form, Collection<String> formTargets) {
        return render(
                status,
                "pages/message",
                Map.of("heading", heading, "message", message, "error", error, "form", form == null ? "" : form),
                formTargets);
    }

    /** OAuth 2.0 Form Post Response Mode: the answer's fields posted to the redirect URI by the browser. */
    public Response formPost(String action, List<Field> fields) {
        return render(200, "pages/form_post", Map.of("action", action, "fields", fields), List.of(action));
    }

    private Response render(int status, String template, Map<String, Object> data, Collection<String> formTargets) {
        String nonce = SecureTokens.randomBase64Url(18);
        TemplateInstance page = engine.getTemplate(template).instance().data("nonce", nonce);
        data.forEach(page::data);
        Set<String> targets = new LinkedHashSet<>();
        targets.add("'self'");
        for (String target : formTargets) {
            String origin = origin(target);
            if (origin != null) {
                targets.add(origin);
            }
        }
        String csp = "default-src 'none'; style-src 'nonce-" + nonce + "'; script-src 'nonce-" + nonce + "'; "
                + "img-src 'self' data:; form-action " + String.join(" ", targets) + "; frame-ancestors 'none'; "
                + "base-uri 'none'";
        return Response.status(status)
                .type("text/html; charset=UTF-8")
                .entity(page.render())
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .header("Content-Security-Policy", csp)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                // same-origin: no URL leaves for another site, and the pages' own form posts keep a real Origin
                // (no-referrer makes a browser send "Origin: null", which a browser without Sec-Fetch-Site is refused
                // for); the form_post answer, which posts to the client, sends none
                .header("Referrer-Policy", template.equals("pages/form_post") ? "no-referrer" : "same-origin")
                .build();
    }

    /** {@code scheme://host[:port]} of an absolute http(s) URL; null for anything else. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return null;
            }
            return scheme + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
