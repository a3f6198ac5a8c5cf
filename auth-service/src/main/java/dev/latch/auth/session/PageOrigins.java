package dev.latch.auth.session;

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
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Browser pages of other origins that may call auth-service's {@code /v1/…} API with the browser's
 * cookies — CORS with credentials — and whose requests {@link CrossSiteGuard} accepts on
 * {@code /v1/auth/refresh} and {@code /v1/auth/signout}. Only the exact origins listed in
 * {@code latch.cors.origins} ({@code LATCH_CORS_ORIGINS}, comma-separated, e.g.
 * {@code http://localhost:8082,http://127.0.0.1:8082} for the local run, where the broker's landing page is
 * another origin of the same site); none by default — behind one Ingress every page is same-origin.
 * A wildcard, a pattern or anything that is not a bare {@code scheme://host[:port]} stops the start.
 * <p>
 * A request from any other origin gets no CORS headers (the browser keeps the answer from the page) and
 * is otherwise answered as before: this is not where requests are refused — CrossSiteGuard does that, with
 * problem+json. Quarkus' own CORS filter is not used because it answers such requests with a bare 403.
 */
@ApplicationScoped
public class PageOrigins {

    static final String METHODS = "GET, POST, DELETE";
    static final String HEADERS = "Authorization, Content-Type";
    static final String MAX_AGE = "600";

    private final Set<String> origins;

    public PageOrigins(@ConfigProperty(name = "latch.cors.origins") Optional<List<String>> configured) {
        this.origins = parse(configured.orElse(List.of()));
    }

    /** The allowed origins, normalised as {@link CrossSiteGuard#origin(String)} does. */
    public Set<String> origins() {
        return origins;
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
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean bare = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"));
            if (!bare) {
                throw invalid(value);
            }
            result.add(CrossSiteGuard.origin(value));
        }
        return Set.copyOf(result);
    }

    private static IllegalArgumentException invalid(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) : value;
        return new IllegalArgumentException("latch.cors.origins (LATCH_CORS_ORIGINS): \"" + shown.replaceAll("[^\\x20-\\x7E]", "?")
                + "\" is not an origin; list exact origins such as http://localhost:8082 (no wildcard, path or pattern)");
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, 200);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || !rc.normalizedPath().startsWith("/v1/")) {
            rc.next();
            return;
        }
        HttpServerResponse response = rc.response();
        response.headers().add(HttpHeaders.VARY, "Origin");
        String normalised = CrossSiteGuard.origin(origin);
        if (!origins.contains(normalised)) {
            rc.next();
            return;
        }
        response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, normalised);
        response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        if (request.method() == HttpMethod.OPTIONS && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS);
            response.headers().set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS);
            response.headers().set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
            response.setStatusCode(204).end();
            return;
        }
        rc.next();
    }
}
