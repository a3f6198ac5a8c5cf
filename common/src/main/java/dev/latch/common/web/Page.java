package dev.latch.common.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.latch.common.error.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The one list shape of every Latch API: {@code {"items": [...], "nextPageToken": "…" | null}}. */
@RegisterForReflection
public record Page<T>(
        List<T> items,
        @JsonInclude(JsonInclude.Include.ALWAYS) String nextPageToken) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 200;

    /** The page size asked for, checked: 1–200, default 50. */
    public static int size(Integer requested) {
        if (requested == null) {
            return DEFAULT_SIZE;
        }
        if (requested < 1 || requested > MAX_SIZE) {
            throw ProblemException.badRequest("pageSize must be between 1 and " + MAX_SIZE + ".");
        }
        return requested;
    }

    /** Cursors are opaque to clients: base64url of the position. */
    public static String encodeToken(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    public static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("pageToken is not valid.");
        }
    }
}
