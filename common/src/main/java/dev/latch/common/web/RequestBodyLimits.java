package dev.latch.common.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Request body limits of every Latch service, enforced before the body is buffered, on the event loop
 * ahead of every other route (authentication included).
 * <ul>
 * <li>Upload routes, which a service declares with an {@link UploadRoutes} bean (storage-service's
 * attachment uploads), may carry up to the limit it gives; an announced {@code Content-Length} over that
 * is refused before a byte is read, and the service enforces the exact limit while the upload streams.</li>
 * <li>Every other route accepts at most {@link #LIMIT} (64 KiB): a larger {@code Content-Length} is
 * refused at once; a body without one (chunked) is read here into a buffer of at most 64 KiB and refused
 * at the first byte beyond it, otherwise handed on as the request body (Quarkus REST's blocking
 * endpoints read it from there).</li>
 * </ul>
 * A refusal is 413 {@code application/problem+json} with {@code Connection: close}. The rest of a refused
 * body is read and thrown away — never kept — for at most {@link #DRAIN_MILLIS}, so that a client that
 * only reads the answer once it has sent everything still gets it; then the connection is closed.
 * (The HTTP layer's own {@code quarkus.http.limits.max-body-size} stays as high as the largest upload.)
 */
@ApplicationScoped
public class RequestBodyLimits {

    /** The largest body of any route other than the upload routes. */
    public static final int LIMIT = 64 * 1024;
    /** How long the rest of a refused body is read and dropped before the connection is closed. */
    static final long DRAIN_MILLIS = 30_000;

    private final UploadRoutes uploads;

    public RequestBodyLimits(UploadRoutes uploads) {
        this.uploads = uploads;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 100);
    }

    void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        long declared;
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            declared = header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            // the HTTP layer answers 400 for this
            rc.next();
            return;
        }
        OptionalLong uploadLimit = uploads.limit(request.method(), rc.normalizedPath(), isMultipart(request));
        if (uploadLimit.isPresent()) {
            if (declared > uploadLimit.getAsLong()) {
                refuse(rc, "The file is larger than the limit of " + uploads.displayedLimit() + " bytes.");
            } else {
                rc.next();
            }
            return;
        }
        if (declared > LIMIT) {
            refuse(rc, nonUploadDetail());
        } else if (declared < 0 && hasBody(request)) {
            readBounded(rc);
        } else {
            rc.next();
        }
    }

    private static boolean isMultipart(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /** A body without Content-Length: chunked in HTTP/1.1; in HTTP/2 any stream not ended yet. */
    private static boolean hasBody(HttpServerRequest request) {
        if (request.isEnded()) {
            return false;
        }
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || request.version() == HttpVersion.HTTP_2;
    }

    private static String nonUploadDetail() {
        return "The request body is larger than the limit of " + LIMIT + " bytes.";
    }

    /** Reads a body of unknown length into at most {@link #LIMIT} bytes, then lets the request go on with it. */
    private void readBounded(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.exceptionHandler(e -> {
            if (!refused[0]) {
                refused[0] = true;
                rc.fail(400, e);
            }
        });
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > LIMIT) {
                refused[0] = true;
                refuse(rc, nonUploadDetail());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                // what Vert.x's BodyHandler does: Quarkus REST reads a body already read from here
                ((RoutingContextInternal) rc).setBody(body);
                rc.next();
            }
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            rc.response().writeContinue();
        }
        request.resume();
    }

    /**
     * 413 problem+json. The rest of the body is dropped as it arrives (for at most {@link #DRAIN_MILLIS});
     * the connection is closed once the body is over and the answer is sent.
     */
    private static void refuse(RoutingContext rc, String detail) {
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        if (response.ended()) {
            return;
        }
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        boolean[] done = {request.isEnded(), false};
        Runnable closeWhenDone = () -> {
            if (http1 && done[0] && done[1]) {
                request.connection().close();
            }
        };
        if (!request.isEnded()) {
            long timer =
                    rc.vertx().setTimer(DRAIN_MILLIS, t -> request.connection().close());
            request.handler(chunk -> {
                // thrown away, never kept
            });
            request.exceptionHandler(e -> rc.vertx().cancelTimer(timer));
            request.endHandler(v -> {
                rc.vertx().cancelTimer(timer);
                done[0] = true;
                closeWhenDone.run();
            });
            request.resume();
        }
        String problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", "Content Too Large")
                .put("status", 413)
                .put("detail", detail)
                .encode();
        response.setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        if (http1) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(problem).onComplete(r -> {
            done[1] = true;
            closeWhenDone.run();
        });
    }
}
