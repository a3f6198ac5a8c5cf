package dev.latch.common.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The headers every answer of every service carries — API JSON, problem+json, health, metrics,
 * OpenAPI, 404s and the static pages — added just before the headers go out, once, unless the answer
 * set its own:
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff}: no browser guesses a type into something executable;</li>
 * <li>{@code Referrer-Policy: no-referrer}: no URL of ours (a state, a signed download) leaks onward;</li>
 * <li>{@code Cache-Control: no-store}: nothing is cached unless the answer says it may be — so every
 * answer that carries a token, a session or personal data is never stored by a browser or proxy, and
 * only the answers made for caching (JWKS, discovery, signed downloads, static assets) set their own;</li>
 * <li>{@code Strict-Transport-Security} when the request came over TLS, directly or, behind a trusted
 * proxy, as {@code X-Forwarded-Proto: https} ({@code quarkus.http.proxy.*}); never over plain HTTP,
 * where a browser would ignore it anyway (RFC 6797 §7.2).</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String HSTS = "max-age=31536000";

    void register(@Observes Filters filters) {
        filters.register(this::add, 300);
    }

    void add(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            MultiMap headers = rc.response().headers();
            setIfAbsent(headers, "X-Content-Type-Options", "nosniff");
            setIfAbsent(headers, "Referrer-Policy", "no-referrer");
            setIfAbsent(headers, "Cache-Control", "no-store");
            if ("https".equalsIgnoreCase(rc.request().scheme())) {
                setIfAbsent(headers, "Strict-Transport-Security", HSTS);
            }
        });
        rc.next();
    }

    private static void setIfAbsent(MultiMap headers, String name, String value) {
        if (!headers.contains(name)) {
            headers.set(name, value);
        }
    }
}
