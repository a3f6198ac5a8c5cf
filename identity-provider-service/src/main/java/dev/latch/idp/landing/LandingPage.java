package dev.latch.idp.landing;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The broker's landing page at {@code /} (static files in {@code META-INF/resources}): its security headers,
 * and {@code GET /landing/config.json}, which tells the page's script where auth-service is
 * ({@code {"authServiceUrl": "…"}}).
 * <p>
 * {@code latch.auth-service-public-url} ({@code LATCH_AUTH_SERVICE_PUBLIC_URL}) is auth-service's address as
 * the browser reaches it; empty (the default) means the page's own origin, as behind the one Ingress of
 * production. The local run sets {@code http://localhost:8081}; auth-service must then list the page's
 * origin in its {@code LATCH_CORS_ORIGINS}. A loopback address follows the host name the browser used for
 * the page ({@code 127.0.0.1} or {@code localhost}), because the refresh cookie belongs to that host name.
 */
@ApplicationScoped
public class LandingPage {

    static final String CONFIG_PATH = "/landing/config.json";
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final URI authService;

    public LandingPage(@ConfigProperty(name = "latch.auth-service-public-url") Optional<String> authServicePublicUrl) {
        this.authService = authServicePublicUrl
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(LandingPage::parse)
                .orElse(null);
    }

    private static URI parse(String value) {
        String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw invalid(value);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https"))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid(value);
        }
        return uri;
    }

    private static IllegalArgumentException invalid(String value) {
        return new IllegalArgumentException("latch.auth-service-public-url (LATCH_AUTH_SERVICE_PUBLIC_URL) must be an "
                + "http(s) URL such as http://localhost:8081, or empty for the page's own origin; got: "
                + value.replaceAll("[^\\x20-\\x7E]", "?"));
    }

    void routes(@Observes Router router) {
        router.get(CONFIG_PATH).handler(this::config);
    }

    void headers(@Observes Filters filters) {
        filters.register(this::pageHeaders, 50);
    }

    /** auth-service's base URL for this request's page; "" for the page's own origin. */
    String authServiceUrl(RoutingContext rc) {
        if (authService == null) {
            return "";
        }
        URI uri = authService;
        HostAndPort page = rc.request().authority();
        String pageHost = page == null ? null : page.host().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (pageHost != null && LOOPBACK.contains(host) && LOOPBACK.contains(pageHost) && !pageHost.equals(host)) {
            String shown = pageHost.contains(":") && !pageHost.startsWith("[") ? "[" + pageHost + "]" : pageHost;
            return uri.getScheme() + "://" + shown + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path(uri);
        }
        return uri.toString();
    }

    private static String path(URI uri) {
        return uri.getRawPath() == null ? "" : uri.getRawPath();
    }

    private static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    void config(RoutingContext rc) {
        rc.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(new JsonObject().put("authServiceUrl", authServiceUrl(rc)).encode());
    }

    /** A strict policy for the page: its own scripts and styles only, and fetches to itself and auth-service. */
    void pageHeaders(RoutingContext rc) {
        String path = rc.normalizedPath();
        HttpMethod method = rc.request().method();
        if ((path.equals("/") || path.equals("/index.html"))
                && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            String auth = authServiceUrl(rc);
            String connect = auth.isEmpty() ? "'self'" : "'self' " + origin(auth);
            rc.response()
                    .headers()
                    .set(
                            "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; "
                                    + "img-src 'self'; connect-src " + connect
                                    + "; base-uri 'none'; form-action 'self'; "
                                    + "frame-ancestors 'none'")
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Referrer-Policy", "no-referrer")
                    .set("Cache-Control", "no-cache");
        }
        rc.next();
    }
}
