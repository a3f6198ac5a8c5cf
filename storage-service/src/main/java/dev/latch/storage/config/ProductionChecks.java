package dev.latch.storage.config;

import dev.latch.common.readiness.ProductionReadinessCheck;
import dev.latch.common.readiness.ProductionReadinessCheck.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.ArrayList;
import java.util.List;

/** storage-service's production-readiness checks: its keys and where the S3 secret comes from. */
@ApplicationScoped
public class ProductionChecks {

    /** Keys that appear in this repository (application.properties, docs): anyone could sign URLs with them. */
    private static final List<String> PUBLISHED_KEYS =
            List.of("latch-dev-only-url-signing-key-do-not-use-in-production");

    @Produces
    ProductionReadinessCheck storageKeys(StorageConfig config) {
        return () -> {
            List<Finding> findings = new ArrayList<>();
            if (config.urlSigningKey().filter(k -> !k.isBlank()).isEmpty()) {
                findings.add(
                        Finding.severe(
                                "url-signing-key",
                                "Set LATCH_STORAGE_URL_SIGNING_KEY: a random key of at "
                                        + "least 32 characters (openssl rand -base64 32) that signs the /file/… download URLs."));
            }
            if (config.urlSigningKey().filter(PUBLISHED_KEYS::contains).isPresent()) {
                findings.add(
                        Finding.severe(
                                "dev-url-signing-key",
                                "LATCH_STORAGE_URL_SIGNING_KEY is the published "
                                        + "development key: anyone could forge download URLs. Set a random one (openssl rand -base64 32)."));
            }
            if (config.s3().secretAccessKey().isPresent()
                    && System.getenv("LATCH_STORAGE_S3_SECRET_ACCESS_KEY") == null) {
                findings.add(Finding.warning(
                        "inline-s3-secret",
                        "The S3 secret comes from a configuration file: pass it "
                                + "as LATCH_STORAGE_S3_SECRET_ACCESS_KEY from a Kubernetes Secret instead."));
            }
            return findings;
        };
    }
}
