package dev.latch.common.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CORS with an explicit allowlist, for every service: browser pages of other origins that may call the
 * API with the browser's cookies or a bearer token. Only the exact origins listed in
 * {@code latch.cors.origins} ({@code LATCH_CORS_ORIGINS}, comma-separated, e.g.
 * {@code http://localhost:8082,http://127.0.0.1:8082} for the local run, where the broker's landing page is
 * another origin of the same site); none by default — behind one Ingress every page is same-origin.
 * A wildcard, a pattern or anything that is not a bare {@code scheme://host[:port]} stops the start.
 * <p>
 * A request from any other origin gets no CORS headers (the browser keeps the answer from the page) and
 * is otherwise answered as before: this is not where requests are refused — auth-service's CrossSiteGuard
 * does that for the cookie endpoints, with problem+json. Quarkus' own CORS filter is not used because it
 * answers such requests with a bare 403 and no problem+json. Health, metrics and OpenAPI ({@code /q/})
 * are never offered to other origins.
 */
@ApplicationScoped
public class CorsOrigins {

    static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String HEADERS = "Authorization, Content-Type";
    static final String EXPOSED = "Location, Retry-After, WWW-Authenticate";
    static final String MAX_AGE = "600";

    private final Set<String> origins;

    public CorsOrigins(@ConfigProperty(name = "latch.cors.origins") Optional<List<String>> configured) {
        this.origins = parse(configured.orElse(List.of()));
    }

    /** The allowed origins, normalised as {@link #origin(String)} does. */
    public Set<String> origins() {
        return origins;
    }

    /** scheme://host[:port] in lower case without a default port; "null" and unparsable values match nothing. */
    public static String origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "invalid:" + url;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return "invalid:" + url;
        }
    }

    static Set<String> parse(List<String> values) {
        Set<String> result = new LinkedHashSet<>();
        for (String raw : values) {
            String value = raw == null ? "" : raw.trim();
            if (value.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(value);
            } catch (IllegalArgumentException e) {
                throw invalid(value);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getRawUserInfo() == null
                    && uri.getRawQuery() == null
                    && uri.getRawFragment() == null
                    && (uri.getRawPath() == null
                            || uri.getRawPath().isEmpty()
                            || uri.getRawPath().equals("/"));
            if (!bare) {
                throw invalid(value);
            }
            result.add(origin(value));
        }
        return Set.copyOf(result);
    }

    private static IllegalArgumentException invalid(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) : value;
        return new IllegalArgumentException(
                "latch.cors.origins (LATCH_CORS_ORIGINS): \"" + shown.replaceAll("[^\\x20-\\x7E]", "?")
                        + "\" is not an origin; list exact origins such as http://localhost:8082 (no wildcard, path or pattern)");
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, 200);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || rc.normalizedPath().startsWith("/q/")) {
            rc.next();
            return;
        }
        HttpServerResponse response = rc.response();
        response.headers().add(HttpHeaders.VARY, "Origin");
        String normalised = origin(origin);
        if (!origins.contains(normalised)) {
            rc.next();
            return;
        }
        response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, normalised);
        response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        if (request.method() == HttpMethod.OPTIONS
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
            response.headers().set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            response.setStatusCode(204).end();
            return;
        }
        response.headers().set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        rc.next();
    }
}
