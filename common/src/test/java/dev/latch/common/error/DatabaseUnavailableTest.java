package dev.latch.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** A database that cannot be reached is a retryable 503 with Retry-After; any other failure stays a 500. */
class DatabaseUnavailableTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void connectionFailuresAre503WithRetryAfter() {
        for (RuntimeException e : new RuntimeException[] {
            // what Hibernate throws while PostgreSQL restarts (JDBCConnectionException wraps such a cause)
            new RuntimeException("could not prepare statement", new SQLException("I/O error", "08006")),
            new IllegalStateException(new SQLException("Connection refused", "08001")),
            new RuntimeException(new SQLException("terminating connection due to administrator command", "57P01")),
            new RuntimeException(new SQLException("the database system is starting up", "57P03")),
            new RuntimeException(new SQLException("Acquisition timeout while waiting for new connection")),
            new RuntimeException(new SQLTransientConnectionException("closed"))
        }) {
            Response r = mappers.runtime(e);
            assertEquals(503, r.getStatus(), e.toString());
            assertEquals("1", r.getHeaderString("Retry-After"), e.toString());
            assertEquals(Problem.MEDIA_TYPE, r.getMediaType().toString(), e.toString());
        }
    }

    /**
     * A commit that PostgreSQL's shutdown cut off: Narayana's RollbackException carries the driver's error only as
     * a suppressed XAException (seen under load in auth-service's PostgresRestartTest: answered 500).
     */
    @Test
    void aCommitCutOffByTheServerIs503() {
        RuntimeException commit = new RuntimeException("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(new Exception(
                "Error trying to transactionCommit local transaction",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")));
        Response r = mappers.runtime(new RuntimeException("Error invoking subclass method", commit));
        assertEquals(503, r.getStatus());
        assertEquals("1", r.getHeaderString("Retry-After"));
    }

    @Test
    void otherFailuresStay500() {
        for (RuntimeException e : new RuntimeException[] {
            new IllegalStateException("bug"), new RuntimeException(new SQLException("duplicate key value", "23505"))
        }) {
            Response r = mappers.runtime(e);
            assertEquals(500, r.getStatus(), e.toString());
            assertEquals(null, r.getHeaderString("Retry-After"));
        }
    }
}
