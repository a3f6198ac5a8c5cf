package dev.latch.storage.backend;

import dev.latch.storage.settings.SettingsService;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Ready only when the default backend can take a write: the bucket answers, or the data directory is
 * writable. When it cannot, the entry names the setting to fix and where it is set (the settings API,
 * or the deployment's variable when that pins it), and the log says so once each time the answer changes.
 */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(StorageHealthCheck.class);

    private final SettingsService settings;
    private final Backends backends;
    private final S3Clients s3;
    private volatile String lastProblem;

    public StorageHealthCheck(SettingsService settings, Backends backends, S3Clients s3) {
        this.settings = settings;
        this.backends = backends;
        this.s3 = s3;
    }

    /** What is wrong and which setting decides it. */
    record Diagnosis(String setting, String problem) {}

    @Override
    public HealthCheckResponse call() {
        StorageType type = settings.current().defaultBackend();
        HealthCheckResponseBuilder builder =
                HealthCheckResponse.named("storage backend").withData("backend", type.name());
        String problem = null;
        try {
            if (type == StorageType.S3) {
                builder.withData("bucket", s3.bucket());
            }
            backends.get(type).check();
            builder.up();
        } catch (Exception e) {
            // the reason goes to the probe's caller (an operator), never to API clients
            Diagnosis d = diagnose(type, e);
            String fix = fix(d.setting());
            builder.down()
                    .withData("error", e.getClass().getSimpleName())
                    .withData("setting", d.setting())
                    .withData("problem", d.problem())
                    .withData("fix", fix);
            problem = d.setting() + ": " + d.problem() + " — " + fix;
        }
        if (!Objects.equals(problem, lastProblem)) {
            lastProblem = problem;
            if (problem == null) {
                LOG.infof("storage backend %s is ready", type);
            } else {
                LOG.warnf("storage backend %s is not ready: %s", type, problem);
            }
        }
        return builder.build();
    }

    private Diagnosis diagnose(StorageType type, Exception e) {
        String endpoint = settings.current().s3().endpointOpt().orElse("AWS S3");
        return switch (type) {
            case S3 -> {
                if (e instanceof StorageUnavailableException u && u.reason().contains("bucket")) {
                    yield new Diagnosis("s3.bucket", "no bucket is set");
                }
                if (e instanceof NoSuchBucketException) {
                    yield new Diagnosis("s3.bucket", "bucket '" + s3.bucket() + "' does not exist at " + endpoint);
                }
                if (e instanceof S3Exception s && (s.statusCode() == 401 || s.statusCode() == 403)) {
                    String code = s.awsErrorDetails() == null
                            ? null
                            : s.awsErrorDetails().errorCode();
                    yield new Diagnosis(
                            "s3.accessKeyId",
                            "the store at " + endpoint + " refuses the credentials (HTTP " + s.statusCode()
                                    + (code == null ? "" : " " + code)
                                    + "); check s3.accessKeyId and s3.secretAccessKey");
                }
                if (e instanceof S3Exception s && s.statusCode() == 301) {
                    yield new Diagnosis(
                            "s3.region",
                            "the bucket lives in another region than "
                                    + settings.current().s3().region());
                }
                if (e instanceof SdkClientException
                        && (String.valueOf(e.getMessage()) + rootMessage(e)).contains("Unable to load credentials")) {
                    yield new Diagnosis(
                            "s3.secretAccessKey",
                            "no S3 credentials: neither s3.accessKeyId with"
                                    + " s3.secretAccessKey nor the SDK's default credential chain (IRSA, instance profile) gives any");
                }
                if (e instanceof SdkClientException) {
                    yield new Diagnosis("s3.endpoint", endpoint + " cannot be reached (" + rootMessage(e) + ")");
                }
                yield new Diagnosis("s3", "the store at " + endpoint + " answered " + rootMessage(e));
            }
            case LOCAL ->
                new Diagnosis(
                        "dataDir",
                        e instanceof AccessDeniedException
                                        || e.getMessage() != null
                                                && e.getMessage().contains("not writable")
                                ? "the data directory is not writable"
                                : "the data directory cannot be used (" + rootMessage(e) + ")");
            default -> new Diagnosis("database", "the database cannot take attachments (" + rootMessage(e) + ")");
        };
    }

    private String fix(String setting) {
        Map<String, String> pinned = settings.pinnedSources();
        String pin = pinned.get(setting);
        if (pin == null && setting.equals("s3.accessKeyId")) {
            pin = pinned.get("s3.secretAccessKey");
        }
        return switch (setting) {
            case "dataDir" -> "set LATCH_STORAGE_DATA_DIR to a writable directory";
            case "database" -> "check the datasource (QUARKUS_DATASOURCE_*)";
            default ->
                pin != null
                        ? "set by the deployment (" + pin + "): change it there"
                        : "change it with PUT /api/v1/storage/settings, or set defaultBackend to LOCAL meanwhile";
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 200 ? m.substring(0, 200) : m;
    }
}
