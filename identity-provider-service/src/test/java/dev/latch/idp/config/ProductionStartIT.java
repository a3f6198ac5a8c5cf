package dev.latch.idp.config;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.ProductionStart;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged broker in the production profile refuses to start without its secrets, or with development ones. */
class ProductionStartIT {

    private static Map<String, String> database() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/latch_idp_test");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379");
        env.put("LATCH_FLYWAY_MIGRATE_AT_START", "false");
        return env;
    }

    @Test
    void withoutTheBrokersClientSecretTheStartIsRefusedNamingTheVariable() throws Exception {
        ProductionStart.Outcome outcome = ProductionStart.run("no-client-secret", database(), Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(outcome.output().contains("LATCH_IDP_CLIENT_SECRET"), outcome.output());
    }

    @Test
    void withTheDocumentedDevelopmentSecretsTheStartIsRefused() throws Exception {
        Map<String, String> env = database();
        env.put("LATCH_IDP_CLIENT_SECRET", "latch-idp-secret");
        env.put("LATCH_JWT_INTROSPECTION_CLIENT_ID", "latch-dev");
        env.put("LATCH_JWT_INTROSPECTION_CLIENT_SECRET", "latch-dev-secret");
        ProductionStart.Outcome outcome = ProductionStart.run("dev-secrets", env, Duration.ofSeconds(90));
        assertTrue(outcome.exited(), "the service kept running:\n" + outcome.output());
        assertNotEquals(0, outcome.exitCode());
        assertTrue(outcome.output().contains("Not ready for production"), outcome.output());
        assertTrue(
                outcome.output().contains("LATCH_IDP_SECRETS_ENCRYPTION_KEY")
                        && outcome.output().contains("[dev-client-secret]")
                        && outcome.output().contains("[dev-introspection-secret]"),
                outcome.output());
    }
}
