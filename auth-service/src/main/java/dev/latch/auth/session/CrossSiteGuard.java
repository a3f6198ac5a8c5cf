package dev.latch.auth.session;

import dev.latch.auth.config.AuthConfig;
import dev.latch.common.config.PublicBaseUrl;
import dev.latch.common.error.ProblemException;
import dev.latch.common.web.CorsOrigins;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Login-CSRF defence for the cookie-authenticated session endpoints ({@code /v1/auth/refresh},
 * {@code /v1/auth/signout}): a browser always names the page that sent a request, so a request from a
 * page of another origin ({@code Origin}) or another site ({@code Sec-Fetch-Site: cross-site}) is
 * refused. A request with neither header comes from a non-browser client, which holds its own tokens.
 * Trusted origins: this service's own ({@code latch.auth.allowed-origins}, default the origins of
 * {@code latch.public-base-url} and the issuer) and exactly those of {@link CorsOrigins}
 * ({@code latch.cors.origins}, none by default). A trusted origin of another site is still refused by
 * {@code Sec-Fetch-Site: cross-site} (and its browser would not send the SameSite=Lax cookie anyway).
 */
@ApplicationScoped
public class CrossSiteGuard {

    private final Set<String> allowed;

    public CrossSiteGuard(AuthConfig config, PublicBaseUrl publicBaseUrl, CorsOrigins corsOrigins) {
        Set<String> origins = new LinkedHashSet<>();
        config.allowedOrigins()
                .orElseGet(() -> List.of(publicBaseUrl.base(), config.token().issuer()))
                .forEach(url -> origins.add(origin(url)));
        origins.addAll(corsOrigins.origins());
        this.allowed = Set.copyOf(origins);
    }

    /** @throws ProblemException 403 for a request sent by another site's page */
    public void check(String origin, String secFetchSite) {
        if (secFetchSite != null && secFetchSite.trim().equalsIgnoreCase("cross-site")) {
            throw ProblemException.forbidden("Cross-site requests to this endpoint are refused.");
        }
        if (origin != null && !allowed.contains(origin(origin))) {
            throw ProblemException.forbidden("Requests from origin " + printable(origin) + " are refused.");
        }
    }

    /**
     * The check of this service's own HTML forms (login, consent, device, logout): the browser says whether the page
     * that posted is of this very origin ({@code Sec-Fetch-Site: same-origin}) — no configuration needed, whatever
     * URL the service is reached by. A browser that sends no {@code Sec-Fetch-Site} is held to {@link #check}.
     *
     * @throws ProblemException 403 for a form posted by a page of any other origin
     */
    public void checkForm(String origin, String secFetchSite) {
        if (secFetchSite == null || secFetchSite.isBlank()) {
            check(origin, null);
            return;
        }
        String site = secFetchSite.trim().toLowerCase(java.util.Locale.ROOT);
        if (!site.equals("same-origin") && !site.equals("none")) {
            throw ProblemException.forbidden("Forms of this page are accepted only from the page itself.");
        }
    }

    static String origin(String url) {
        return CorsOrigins.origin(url);
    }

    private static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) : value;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
