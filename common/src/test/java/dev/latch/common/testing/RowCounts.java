package dev.latch.common.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The number of rows of every table of a service's test database (Flyway's history left out), read in one
 * statement over one kept connection: cheap enough to compare before and after each of thousands of requests.
 * Tables are discovered when it is created, so a new table is watched without changing a test.
 */
public final class RowCounts implements AutoCloseable {

    private final Connection connection;
    private final List<String> tables = new ArrayList<>();
    private final String query;

    public RowCounts(String database, Set<String> ignored) {
        String server = System.getenv().getOrDefault("LATCH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String user = System.getenv().getOrDefault("LATCH_TEST_PG_USER", "postgres");
        try {
            connection = DriverManager.getConnection(
                    server + database, user, System.getenv().getOrDefault("PGPASSWORD", ""));
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                                    + " AND table_name <> 'flyway_schema_history' ORDER BY table_name")) {
                while (rs.next()) {
                    if (!ignored.contains(rs.getString(1))) {
                        tables.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        if (tables.isEmpty()) {
            throw new IllegalStateException("no tables in " + database);
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < tables.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("(SELECT count(*) FROM \"")
                    .append(tables.get(i))
                    .append("\")");
        }
        query = sql.toString();
    }

    public List<String> tables() {
        return List.copyOf(tables);
    }

    /** Table name → rows, now. */
    public Map<String, Long> snapshot() {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                counts.put(tables.get(i), rs.getLong(i + 1));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to keep
        }
    }
}
