package dev.latch.storage.backend;

import dev.latch.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the default backend can take a write: the bucket answers, or the data directory is writable. */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {

    private final StorageConfig config;
    private final S3Clients s3;

    public StorageHealthCheck(StorageConfig config, S3Clients s3) {
        this.config = config;
        this.s3 = s3;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("storage backend")
                .withData("backend", config.defaultBackend().name());
        try {
            switch (config.defaultBackend()) {
                case S3 -> {
                    String bucket = s3.bucket();
                    s3.client().headBucket(b -> b.bucket(bucket));
                    builder.withData("bucket", bucket).up();
                }
                case LOCAL -> {
                    Path dir = config.dataDir().resolve("attachments");
                    Files.createDirectories(dir);
                    builder.status(Files.isWritable(dir));
                }
                default -> builder.up();
            }
        } catch (Exception e) {
            // the reason goes to the probe's caller (an operator), never to API clients
            builder.down().withData("error", e.getClass().getSimpleName());
        }
        return builder.build();
    }
}
