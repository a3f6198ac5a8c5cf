package dev.latch.auth.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.common.testing.ProductionStart;
import dev.latch.common.testing.TestDatabase;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged service in the production profile, without its secrets, refuses to start and says what to set. */
class ProductionStartIT {

    @Test
    void productionStartWithoutSigningKeySecretsIsRefusedNamingTheVariable() throws Exception {
        ProductionStart.Outcome outcome = ProductionStart.run(
                "no-keys",
                Map.of(
                        "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + Api.DATABASE,
                        "QUARKUS_DATASOURCE_USERNAME", "postgres",
                        "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379",
                        "LATCH_FLYWAY_MIGRATE_AT_START", "false"),
                Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(
                outcome.output().contains("LATCH_AUTH_KEYS_ENCRYPTION_KEY")
                        && outcome.output().contains("Not ready for production"),
                outcome.output());
    }

    @Test
    void storedKeysUnderAnotherEncryptionKeyStopTheStartWithWhatToDo() throws Exception {
        String database = "latch_auth_other_key_test";
        TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + database);
        TestDatabase.update("postgres", "CREATE DATABASE " + database);
        try {
            Map<String, String> env = new HashMap<>(Map.of(
                    "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database,
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379",
                    "LATCH_PRODUCTION_READINESS_ENABLED", "false",
                    "LATCH_AUTH_KEYS_ENCRYPTION_KEY", randomKey()));
            try (ProductionStart.Running first = ProductionStart.start("first-key", env, Duration.ofSeconds(90))) {
                assertTrue(first.output().contains("generated"), first.output());
            }
            // the key file of a local run was deleted: the next start has a new encryption key
            env.put("LATCH_AUTH_KEYS_ENCRYPTION_KEY", randomKey());
            ProductionStart.Outcome outcome = ProductionStart.run("other-key", env, Duration.ofSeconds(90));
            assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
            assertNotEquals(0, outcome.exitCode());
            assertTrue(
                    outcome.output()
                                    .contains(
                                            "does not decrypt with latch.auth.keys.encryption-key (LATCH_AUTH_KEYS_ENCRYPTION_KEY)")
                            && outcome.output().contains("deploy/run-local.sh --reset"),
                    outcome.output());
        } finally {
            TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
