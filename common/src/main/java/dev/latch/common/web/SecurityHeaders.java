package dev.latch.common.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code X-Content-Type-Options: nosniff} on every answer of every service — API JSON, problem+json,
 * health, metrics, OpenAPI, 404s and the static pages — so no browser ever guesses a type into
 * something executable. Added just before the headers go out, once, unless the answer set it itself.
 */
@ApplicationScoped
public class NoSniff {

    static final String HEADER = "X-Content-Type-Options";

    void register(@Observes Filters filters) {
        filters.register(this::add, 300);
    }

    void add(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            MultiMap headers = rc.response().headers();
            if (!headers.contains(HEADER)) {
                headers.set(HEADER, "nosniff");
            }
        });
        rc.next();
    }
}
