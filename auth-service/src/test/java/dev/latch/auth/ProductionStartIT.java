package dev.latch.auth;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.ProductionStart;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged service in the production profile, without its secrets, refuses to start and says what to set. */
class ProductionStartIT {

    @Test
    void productionStartWithoutSigningKeySecretsIsRefusedNamingTheVariable() throws Exception {
        ProductionStart.Outcome outcome = ProductionStart.run("no-keys", Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + Api.DATABASE,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379",
                "LATCH_FLYWAY_MIGRATE_AT_START", "false"), Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(outcome.output().contains("LATCH_AUTH_KEYS_ENCRYPTION_KEY")
                && outcome.output().contains("Not ready for production"), outcome.output());
    }
}
