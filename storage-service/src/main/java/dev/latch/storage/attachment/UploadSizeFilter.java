package dev.latch.storage.attachment;

import dev.latch.storage.settings.SettingsService;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * Refuses an upload whose announced {@code Content-Length} is over the limit before a byte of the body
 * is read or spooled to disk (the HTTP layer's own limit is set high so that this limit decides).
 * Multipart bodies get a small allowance for their framing; the exact check happens while streaming.
 * (A chunked multipart body has no announced length: Quarkus spools it to disk up to
 * {@code quarkus.http.limits.max-body-size} before this service sees it.)
 */
@ApplicationScoped
public class UploadSizeFilter {

    /** Boundaries and part headers of a multipart body with one file. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    private static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
            + "\"detail\":\"The file is larger than the limit of %d bytes.\"}";

    private final SettingsService settings;

    public UploadSizeFilter(SettingsService settings) {
        this.settings = settings;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 100);
    }

    private void check(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (rc.request().method() == HttpMethod.POST && ("/api/v1/attachments".equals(path) || "/api/v1/attachments/".equals(path))) {
            String header = rc.request().getHeader("Content-Length");
            String type = rc.request().getHeader("Content-Type");
            boolean multipart = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
            if (header != null) {
                long limit = settings.cached().maxUploadBytes();
                try {
                    long length = Long.parseLong(header.trim());
                    if (length > limit + (multipart ? MULTIPART_OVERHEAD : 0)) {
                        rc.response().setStatusCode(413)
                                .putHeader("Content-Type", "application/problem+json")
                                .putHeader("Connection", "close")
                                .end(String.format(BODY, limit));
                        return;
                    }
                } catch (NumberFormatException e) {
                    // the HTTP layer answers 400 for this
                }
            }
        }
        rc.next();
    }
}
