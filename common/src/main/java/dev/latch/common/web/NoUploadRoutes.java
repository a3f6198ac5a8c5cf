package dev.latch.common.web;

import io.quarkus.arc.DefaultBean;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalLong;

/** A service without file uploads: every request body is bounded by {@link RequestBodyLimits#LIMIT}. */
@DefaultBean
@ApplicationScoped
public class NoUploadRoutes implements UploadRoutes {

    @Override
    public OptionalLong limit(HttpMethod method, String path, boolean multipart) {
        return OptionalLong.empty();
    }

    @Override
    public long displayedLimit() {
        return RequestBodyLimits.LIMIT;
    }
}
