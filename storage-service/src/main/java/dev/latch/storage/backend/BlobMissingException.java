package dev.latch.storage.backend;

import dev.latch.common.error.ProblemException;

/** The record exists but its blob does not (deleted behind our back, or a migration in between). */
public class BlobMissingException extends ProblemException {

    public BlobMissingException() {
        super(404, "Not Found", "The file is not available.");
    }
}
