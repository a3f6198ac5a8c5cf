package dev.latch.storage.backend;

import dev.latch.storage.config.StorageConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the AWS SDK v2 client and presigner for any S3-compatible store from Latch's settings.
 * Checksums are calculated only when an operation requires them: the SDK's default trailing
 * checksums break R2, B2 and older MinIO.
 */
@ApplicationScoped
public class S3Clients {

    private final StorageConfig config;
    private volatile S3Client client;
    private volatile S3Presigner presigner;

    public S3Clients(StorageConfig config) {
        this.config = config;
    }

    public String bucket() {
        return config.s3().bucket().orElseThrow(() -> new IllegalStateException("latch.storage.s3.bucket is not set"));
    }

    public S3Client client() {
        S3Client c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    var builder = S3Client.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder()
                                    .connectionTimeout(Duration.ofSeconds(5))
                                    .socketTimeout(Duration.ofSeconds(60)))
                            .region(Region.of(config.s3().region()))
                            .credentialsProvider(credentials())
                            .forcePathStyle(config.s3().pathStyle())
                            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
                    config.s3().endpoint().map(URI::create).ifPresent(builder::endpointOverride);
                    client = builder.build();
                }
                c = client;
            }
        }
        return c;
    }

    public S3Presigner presigner() {
        S3Presigner p = presigner;
        if (p == null) {
            synchronized (this) {
                if (presigner == null) {
                    var builder = S3Presigner.builder()
                            .region(Region.of(config.s3().region()))
                            .credentialsProvider(credentials())
                            .serviceConfiguration(S3Configuration.builder()
                                    .pathStyleAccessEnabled(config.s3().pathStyle())
                                    .build());
                    config.s3().endpoint().map(URI::create).ifPresent(builder::endpointOverride);
                    presigner = builder.build();
                }
                p = presigner;
            }
        }
        return p;
    }

    private AwsCredentialsProvider credentials() {
        if (config.s3().accessKeyId().isPresent() && config.s3().secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    config.s3().accessKeyId().get(), config.s3().secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
        if (presigner != null) {
            presigner.close();
        }
    }
}
