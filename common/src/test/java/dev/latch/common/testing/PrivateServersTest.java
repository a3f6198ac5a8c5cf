package dev.latch.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The private servers really stop (connections refused) and come back on the same port, keeping or losing data as a real one does. */
class PrivateServersTest {

    @Test
    void privateRedisStopsForRealAndRestartsEmptyOnTheSamePort() {
        PrivateRedis redis = PrivateRedis.start(Path.of("target", "private-redis-selftest"));
        try {
            assertEquals("+OK", redis.command("SET", "k", "v"));
            redis.kill();
            assertTrue(redis.refusesConnections());
            redis.start();
            assertEquals("$-1", redis.command("GET", "k"), "no persistence: a restart loses every key");
            redis.shutdown();
            assertTrue(redis.refusesConnections());
            redis.start();
            assertEquals("+PONG", redis.command("PING"));
        } finally {
            redis.kill();
        }
    }

    @Test
    void privatePostgresRestartsOnTheSamePortKeepingCommittedRows() throws SQLException {
        PrivatePostgres pg = PrivatePostgres.start(Path.of("target", "private-postgres-selftest"));
        try {
            pg.createDatabase("selftest");
            try (Connection c = pg.connect("selftest");
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS t");
                s.execute("CREATE TABLE t (v int)");
                s.execute("INSERT INTO t VALUES (1)");
            }
            try (Connection held = pg.connect("selftest")) {
                pg.restart(PrivatePostgres.StopMode.IMMEDIATE);
                SQLException broken = assertThrows(
                        SQLException.class, () -> held.createStatement().execute("SELECT 1"));
                assertTrue(broken.getSQLState().startsWith("08"), broken.getSQLState());
            }
            pg.stop(PrivatePostgres.StopMode.FAST);
            assertThrows(SQLException.class, () -> pg.connect("selftest").close());
            pg.start();
            try (Connection c = pg.connect("selftest");
                    ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        } finally {
            pg.stop(PrivatePostgres.StopMode.IMMEDIATE);
        }
    }
}
