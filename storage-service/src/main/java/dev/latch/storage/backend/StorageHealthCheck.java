package dev.latch.storage.backend;

import dev.latch.storage.config.StorageConfig.StorageType;
import dev.latch.storage.settings.SettingsService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the default backend can take a write: the bucket answers, or the data directory is writable. */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {

    private final SettingsService settings;
    private final Backends backends;
    private final S3Clients s3;

    public StorageHealthCheck(SettingsService settings, Backends backends, S3Clients s3) {
        this.settings = settings;
        this.backends = backends;
        this.s3 = s3;
    }

    @Override
    public HealthCheckResponse call() {
        StorageType type = settings.current().defaultBackend();
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("storage backend").withData("backend", type.name());
        try {
            if (type == StorageType.S3) {
                builder.withData("bucket", s3.bucket());
            }
            backends.get(type).check();
            builder.up();
        } catch (Exception e) {
            // the reason goes to the probe's caller (an operator), never to API clients
            builder.down().withData("error", e.getClass().getSimpleName());
        }
        return builder.build();
    }
}
