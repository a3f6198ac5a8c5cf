package dev.latch.storage.backend;

import dev.latch.common.error.ProblemException;
import java.util.Map;

/**
 * The backend could not be reached or refused to work: 503 with {@code Retry-After}, with nothing internal
 * in the answer. Nothing was recorded, so the client may send the same request again.
 */
public class StorageUnavailableException extends ProblemException {

    /** Seconds a client should wait before trying again: a store restart takes a few seconds. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private final String reason;

    public StorageUnavailableException(String reason) {
        super(
                503,
                "Service Unavailable",
                "The storage backend is not available. Try again later.",
                "about:blank",
                Map.of("Retry-After", RETRY_AFTER_SECONDS));
        this.reason = reason;
    }

    /** For logs only. */
    public String reason() {
        return reason;
    }
}
