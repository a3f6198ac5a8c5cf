package dev.latch.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the service against a {@link PrivatePostgres} of its own, which the test may stop and restart
 * ({@link #server()}). Init arg {@code database} (required): created on that server. The cluster lives in
 * {@code target/private-postgres}; the server is stopped with the resource (and at JVM exit at the latest).
 * Use it restricted to the test class or profile: it replaces the datasource the other tests use.
 */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {

    private static volatile PrivatePostgres server;
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
        PrivatePostgres pg = PrivatePostgres.start(Path.of("target", "private-postgres"));
        pg.createDatabase(database);
        server = pg;
        return Map.of(
                "quarkus.datasource.jdbc.url",
                pg.jdbcUrl(database),
                "quarkus.datasource.username",
                PrivatePostgres.USER);
    }

    /** The running server, to stop and restart from the test. */
    public static PrivatePostgres server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(PrivatePostgres.StopMode.IMMEDIATE);
            server = null;
        }
    }
}
