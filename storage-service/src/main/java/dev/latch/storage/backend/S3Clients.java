package dev.latch.storage.backend;

import dev.latch.storage.settings.SettingsService;
import dev.latch.storage.settings.StorageSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the AWS SDK v2 client and presigner for any S3-compatible store from the storage settings,
 * and builds them again when an admin changes those settings. Checksums are calculated only when an
 * operation requires them: the SDK's default trailing checksums break R2, B2 and older MinIO.
 */
@ApplicationScoped
public class S3Clients {

    private record Built(StorageSettings.S3 settings, S3Client client, S3Presigner presigner) {}

    private final SettingsService settings;
    private final List<AutoCloseable> retired = new ArrayList<>();
    private volatile Built built;

    public S3Clients(SettingsService settings) {
        this.settings = settings;
    }

    public String bucket() {
        return settings.current()
                .s3()
                .bucketOpt()
                .orElseThrow(() -> new StorageUnavailableException("the S3 bucket is not configured"));
    }

    public S3Client client() {
        return current().client();
    }

    public S3Presigner presigner() {
        return current().presigner();
    }

    private Built current() {
        StorageSettings.S3 s3 = settings.current().s3();
        Built b = built;
        if (b != null && b.settings().equals(s3)) {
            return b;
        }
        synchronized (this) {
            b = built;
            if (b == null || !b.settings().equals(s3)) {
                if (b != null) {
                    // requests in flight may still use the old client: close it only at shutdown
                    retired.add(b.client());
                    retired.add(b.presigner());
                }
                b = build(s3);
                built = b;
            }
            return b;
        }
    }

    private static Built build(StorageSettings.S3 s3) {
        AwsCredentialsProvider credentials = credentials(s3);
        var client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(s3.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        var presigner = S3Presigner.builder()
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(s3.pathStyle())
                        .build());
        s3.endpointOpt().map(URI::create).ifPresent(uri -> {
            client.endpointOverride(uri);
            presigner.endpointOverride(uri);
        });
        return new Built(s3, client.build(), presigner.build());
    }

    private static AwsCredentialsProvider credentials(StorageSettings.S3 s3) {
        if (s3.accessKeyId() != null && s3.secretAccessKey() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey()));
        }
        // IRSA, instance profiles, AWS_* variables
        return DefaultCredentialsProvider.builder().build();
    }

    @PreDestroy
    synchronized void close() {
        Built b = built;
        if (b != null) {
            retired.add(b.client());
            retired.add(b.presigner());
        }
        for (AutoCloseable c : retired) {
            try {
                c.close();
            } catch (Exception e) {
                // shutting down
            }
        }
        retired.clear();
    }
}
