package dev.latch.auth.session;

import dev.latch.auth.config.AuthConfig;
import dev.latch.common.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Login-CSRF defence for the cookie-authenticated session endpoints ({@code /v1/auth/refresh},
 * {@code /v1/auth/signout}): a browser always names the page that sent a request, so a request from a
 * page of another origin ({@code Origin}) or another site ({@code Sec-Fetch-Site: cross-site}) is
 * refused. A request with neither header comes from a non-browser client, which holds its own tokens.
 * Trusted origins: this service's own ({@code latch.auth.allowed-origins}, default the origins of
 * {@code latch.public-base-url} and the issuer) and exactly those of {@link PageOrigins}
 * ({@code latch.cors.origins}, none by default). A trusted origin of another site is still refused by
 * {@code Sec-Fetch-Site: cross-site} (and its browser would not send the SameSite=Lax cookie anyway).
 */
@ApplicationScoped
public class CrossSiteGuard {

    private final Set<String> allowed;

    public CrossSiteGuard(AuthConfig config, @ConfigProperty(name = "latch.public-base-url") String publicBaseUrl,
            PageOrigins pageOrigins) {
        Set<String> origins = new LinkedHashSet<>();
        config.allowedOrigins().orElseGet(() -> List.of(publicBaseUrl, config.token().issuer()))
                .forEach(url -> origins.add(origin(url)));
        origins.addAll(pageOrigins.origins());
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

    /** scheme://host[:port] in lower case without a default port; "null" and unparsable values match nothing. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "invalid:" + url;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return "invalid:" + url;
        }
    }

    private static String printable(String value) {
        String cut = value.length() > 100 ? value.substring(0, 100) : value;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
