package dev.latch.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/**
 * A client that closes its connection mid-request is no server error: the multipart parser's failure seen in CI
 * (an {@code IOException} with the closed connection as a suppressed cause, logged as ERROR 500 with its stack
 * trace before) and a body stream's are answered 400 and logged at DEBUG; any other I/O failure stays a 500.
 */
class ClientClosedTest {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aConnectionClosedByTheClientIs400() {
        HttpClosedException closed = new HttpClosedException("Connection was closed");
        IOException parser = new IOException("multipart parse failed");
        parser.addSuppressed(new IOException(new IOException(closed)));
        assertEquals(400, mappers.unexpected(new IOException(parser)).getStatus());
        assertEquals(
                400,
                mappers.runtime(new UncheckedIOException("LOCAL write failed", new IOException(closed)))
                        .getStatus());
    }

    @Test
    void otherIoFailuresStay500() {
        Response r = mappers.unexpected(new IOException("disk full"));
        assertEquals(500, r.getStatus());
    }
}
