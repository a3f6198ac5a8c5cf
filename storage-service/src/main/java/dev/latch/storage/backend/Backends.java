package dev.latch.storage.backend;

import dev.latch.common.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/** The backend of a storage type. EXTERNAL records are links and have no blob here. */
@ApplicationScoped
public class Backends {

    private final DatabaseBackend database;
    private final LocalBackend local;
    private final S3Backend s3;

    public Backends(DatabaseBackend database, LocalBackend local, S3Backend s3) {
        this.database = database;
        this.local = local;
        this.s3 = s3;
    }

    public StorageBackend get(StorageType type) {
        return switch (type) {
            case DATABASE -> database;
            case LOCAL -> local;
            case S3 -> s3;
            case EXTERNAL -> throw new ProblemException(409, "Conflict", "External links have no stored bytes.");
        };
    }

    public S3Backend s3() {
        return s3;
    }
}
