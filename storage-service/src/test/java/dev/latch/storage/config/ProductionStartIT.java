package dev.latch.storage.config;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.ProductionStart;
import dev.latch.common.testing.TestDatabase;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged service in the production profile refuses to start with the development keys and clients. */
class ProductionStartIT {

    @Test
    void withDevelopmentKeysAndNoIntrospectionClientTheStartIsRefused() throws Exception {
        ProductionStart.Outcome outcome = ProductionStart.run(
                "dev-keys",
                Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/latch_storage_test",
                        "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "LATCH_FLYWAY_MIGRATE_AT_START", "false",
                        "LATCH_STORAGE_URL_SIGNING_KEY", "latch-dev-only-url-signing-key-do-not-use-in-production"),
                Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(
                outcome.output().contains("Not ready for production")
                        && outcome.output().contains("[dev-url-signing-key]")
                        && outcome.output().contains("LATCH_JWT_INTROSPECTION_CLIENT_SECRET"),
                outcome.output());
    }

    @Test
    void withoutTheUrlSigningKeyTheStartIsRefusedNamingTheVariable() throws Exception {
        ProductionStart.Outcome outcome = ProductionStart.run(
                "no-signing-key",
                Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/latch_storage_test",
                        "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "LATCH_FLYWAY_MIGRATE_AT_START", "false"),
                Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(outcome.output().contains("LATCH_STORAGE_URL_SIGNING_KEY"), outcome.output());
    }

    @Test
    void withTheS3CredentialsFromTheEnvironmentAndNoEncryptionKeyItStartsAndStoresNoSecret() throws Exception {
        // a first start on an empty database, configured as the chart and compose configure it
        String database = "latch_storage_first_start_test";
        TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + database);
        TestDatabase.update("postgres", "CREATE DATABASE " + database);
        try (ProductionStart.Running service = ProductionStart.start(
                "s3-from-environment",
                Map.ofEntries(
                        Map.entry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database),
                        Map.entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                        Map.entry("LATCH_STORAGE_URL_SIGNING_KEY", random()),
                        Map.entry("LATCH_JWT_INTROSPECTION_CLIENT_ID", "latch-introspect"),
                        Map.entry("LATCH_JWT_INTROSPECTION_CLIENT_SECRET", random()),
                        Map.entry("LATCH_STORAGE_DEFAULT_BACKEND", "S3"),
                        Map.entry("LATCH_STORAGE_S3_ENDPOINT", "http://127.0.0.1:9"),
                        Map.entry("LATCH_STORAGE_S3_BUCKET", "latch"),
                        Map.entry("LATCH_STORAGE_S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
                        Map.entry("LATCH_STORAGE_S3_SECRET_ACCESS_KEY", random())),
                Duration.ofSeconds(90))) {
            given().port(service.port()).get("/q/health/live").then().statusCode(200);
            String output = service.output();
            if (!output.contains(
                            "storage settings in force: defaultBackend=S3 (environment variable LATCH_STORAGE_DEFAULT_BACKEND)")
                    || !output.contains(
                            "s3.secretAccessKey=*** (environment variable LATCH_STORAGE_S3_SECRET_ACCESS_KEY)")) {
                throw new AssertionError("the start log does not say which source won:\n" + output);
            }
            // the store is not reachable from here: readiness says which setting to look at
            given().port(service.port())
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body(
                            "checks.find { it.name == 'storage backend' }.data.fix",
                            containsString("LATCH_STORAGE_S3_ENDPOINT"))
                    .body("checks.find { it.name == 'storage backend' }.data.setting", equalTo("s3.endpoint"));
            assertTrue(
                    TestDatabase.count(
                                    database,
                                    "SELECT count(*) FROM storage_settings WHERE s3_secret_access_key IS NULL AND default_backend = 'S3'")
                            == 1,
                    "the settings row holds no S3 secret");
        } finally {
            TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
