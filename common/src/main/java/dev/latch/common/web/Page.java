package dev.latch.common.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.latch.common.error.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

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

    /**
     * The page of the first {@code size} of {@code rows}, which were read with one row more than a page, so that a
     * next page exists exactly when that row came back; each item is {@code view} of its row, and the next page's
     * token is the {@code position} of the last item.
     */
    public static <R, T> Page<T> of(
            List<R> rows, int size, Function<? super R, T> view, Function<? super T, String> position) {
        List<T> items = rows.stream().limit(size).<T>map(view).toList();
        String next = rows.size() > size ? encodeToken(position.apply(items.get(items.size() - 1))) : null;
        return new Page<>(items, next);
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
