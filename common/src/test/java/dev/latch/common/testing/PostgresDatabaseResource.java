package dev.latch.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Creates the service's database on the machine's PostgreSQL if it is missing (no Docker, no Dev
 * Services) and points the datasource at it. Init args: {@code database} (required), and the
 * server from {@code LATCH_TEST_PG_URL} / {@code LATCH_TEST_PG_USER} when set.
 */
public class PostgresDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        if (database == null || !database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("init arg 'database' must be a plain identifier");
        }
    }

    @Override
    public Map<String, String> start() {
        String server = env("LATCH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String user = env("LATCH_TEST_PG_USER", "postgres");
        createIfMissing(server + "postgres", user, database);
        return Map.of("quarkus.datasource.jdbc.url", server + database, "quarkus.datasource.username", user);
    }

    public static void createIfMissing(String adminUrl, String user, String database) {
        try (Connection c = DriverManager.getConnection(
                        adminUrl, user, System.getenv().getOrDefault("PGPASSWORD", ""));
                PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE \"" + database + "\"");
            } catch (SQLException e) {
                // another test JVM created it first
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + adminUrl + " is not reachable: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public void stop() {
        // the database is kept: Flyway cleans it at the next start of the test profile
    }
}
