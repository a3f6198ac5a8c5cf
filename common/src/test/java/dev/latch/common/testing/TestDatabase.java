package dev.latch.common.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Plain JDBC to a service's test database, for arranging and checking state from tests. Works the same
 * in {@code @QuarkusTest} and in {@code @QuarkusIntegrationTest}, where the application's beans are
 * out of reach.
 */
public final class TestDatabase {

    private TestDatabase() {}

    public static Object single(String database, String sql, Object... params) {
        try (Connection c = connect(database);
                PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getObject(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String database, String sql, Object... params) {
        return ((Number) single(database, sql, params)).longValue();
    }

    public static int update(String database, String sql, Object... params) {
        try (Connection c = connect(database);
                PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    /** A new connection to {@code database} on the test server; the caller closes it. */
    public static Connection connect(String database) throws SQLException {
        String server = System.getenv().getOrDefault("LATCH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String user = System.getenv().getOrDefault("LATCH_TEST_PG_USER", "postgres");
        return DriverManager.getConnection(
                server + database, user, System.getenv().getOrDefault("PGPASSWORD", ""));
    }
}
