package dev.latch.common.web;

import io.vertx.core.http.HttpMethod;
import java.util.OptionalLong;

/**
 * The routes of a service whose request bodies are files, and how large they may be; every other route
 * takes at most {@link RequestBodyLimits#LIMIT}. Services without uploads use {@link NoUploadRoutes}.
 */
public interface UploadRoutes {

    /** The largest body this request may announce, or empty for an ordinary route. Called on the event loop: no I/O. */
    OptionalLong limit(HttpMethod method, String path, boolean multipart);

    /** The limit named in a refusal (the file size, without framing allowances). */
    long displayedLimit();
}
