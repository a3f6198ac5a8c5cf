package dev.latch.common.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A request the router itself refuses with a status and no cause — a request target that is no path
 * ({@code OPTIONS *}, {@code GET probe}) — is answered {@code application/problem+json} like every other
 * refusal, instead of the empty body of Quarkus' last failure handler. Failures with a cause and 5xx go on
 * to it unchanged (it logs them).
 */
@ApplicationScoped
public class RoutingFailures {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext rc) {
        int status = rc.statusCode();
        HttpServerResponse response = rc.response();
        if (rc.failure() != null || status < 400 || status >= 500 || response.ended() || response.headWritten()) {
            rc.next();
            return;
        }
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            default -> "Request Refused";
        };
        String body = new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", status == 404 ? "No such resource." : "The request could not be processed.")
                .encode();
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .end(body);
    }
}
