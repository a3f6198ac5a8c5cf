package dev.latch.storage;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.ProductionStart;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged service in the production profile refuses to start with the development keys and clients. */
class ProductionStartIT {

    @Test
    void withDevelopmentKeysAndNoIntrospectionClientTheStartIsRefused() throws Exception {
        ProductionStart.Outcome outcome = ProductionStart.run("dev-keys", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/latch_storage_test",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "LATCH_FLYWAY_MIGRATE_AT_START", "false",
                "LATCH_STORAGE_URL_SIGNING_KEY", "latch-dev-only-url-signing-key-do-not-use-in-production"),
                Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(outcome.output().contains("Not ready for production")
                && outcome.output().contains("[dev-url-signing-key]")
                && outcome.output().contains("LATCH_JWT_INTROSPECTION_CLIENT_SECRET"), outcome.output());
    }

    @Test
    void withoutTheUrlSigningKeyTheStartIsRefusedNamingTheVariable() throws Exception {
        ProductionStart.Outcome outcome = ProductionStart.run("no-signing-key", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/latch_storage_test",
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "LATCH_FLYWAY_MIGRATE_AT_START", "false"), Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(outcome.output().contains("LATCH_STORAGE_URL_SIGNING_KEY"), outcome.output());
    }
}
