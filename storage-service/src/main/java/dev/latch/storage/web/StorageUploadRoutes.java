package dev.latch.storage.web;

import dev.latch.common.web.UploadRoutes;
import dev.latch.storage.settings.SettingsService;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * storage-service's two upload routes — {@code POST /api/v1/attachments} (multipart or raw body) and the
 * signed direct-upload target {@code PUT /file/uploads/{id}} — may carry up to {@code maxUploadBytes}
 * (multipart bodies get a small allowance for their framing). Every other route takes 64 KiB.
 */
@ApplicationScoped
public class StorageUploadRoutes implements UploadRoutes {

    /** Boundaries and part headers of a multipart body with one file. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    private static final Pattern DIRECT_UPLOAD = Pattern.compile("/file/uploads/[^/]+/?");

    private final SettingsService settings;

    public StorageUploadRoutes(SettingsService settings) {
        this.settings = settings;
    }

    @Override
    public OptionalLong limit(HttpMethod method, String path, boolean multipart) {
        if (!isUpload(method, path)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(displayedLimit() + (multipart ? MULTIPART_OVERHEAD : 0));
    }

    @Override
    public long displayedLimit() {
        return settings.cached().maxUploadBytes();
    }

    /** The routes whose bodies are files: everything else is JSON or nothing. */
    static boolean isUpload(HttpMethod method, String path) {
        if (path == null) {
            return false;
        }
        if (method == HttpMethod.POST) {
            return "/api/v1/attachments".equals(path) || "/api/v1/attachments/".equals(path);
        }
        return method == HttpMethod.PUT && DIRECT_UPLOAD.matcher(path).matches();
    }
}
