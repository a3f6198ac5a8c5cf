package dev.latch.storage.backend;

import dev.latch.common.error.ProblemException;

/** The backend could not be reached or refused to work: 503, with nothing internal in the answer. */
public class StorageUnavailableException extends ProblemException {

    private final String reason;

    public StorageUnavailableException(String reason) {
        super(503, "Service Unavailable", "The storage backend is not available. Try again later.");
        this.reason = reason;
    }

    /** For logs only. */
    public String reason() {
        return reason;
    }
}
