package dev.latch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.PackagedAuthService;
import dev.latch.common.testing.ProductionStart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged auth-service in the production profile (application.properties' graceful shutdown:
 * readiness DOWN for {@code quarkus.shutdown.delay} while requests are still served, then up to
 * {@code quarkus.shutdown.timeout} for those in flight): sign-ins whose bodies are still arriving when the
 * signal comes, and still after the delay, while Quarkus waits for them, all get their normal 200; the process
 * exits within delay + timeout.
 */
class GracefulShutdownIT {

    private static final String DATABASE = "latch_auth_shutdown_test";
    /** Redis database of its own (see PackagedAuthService). */
    private static final int REDIS_DB = 12;

    private static final Duration DELAY = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String PASSWORD = "correct horse battery";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static PackagedAuthService auth;
    private static final List<ProductionStart.Running> RUNNING = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        auth = PackagedAuthService.prepare(
                Path.of("target", "quarkus-app", "quarkus-run.jar"),
                java.nio.file.Files.createDirectories(Path.of("target", "graceful-shutdown")),
                DATABASE,
                REDIS_DB,
                List.of());
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (ProductionStart.Running r : RUNNING) {
            r.close();
        }
        if (auth != null) {
            auth.dropDatabase();
        }
    }

    @Test
    void signInsInFlightAtSigtermAllFinishWithTheirAnswerAndTheProcessExitsWithinTheBound() throws Exception {
        ProductionStart.Running service = start("shutdown-in-flight", 0);
        awaitReady(service.port());
        int inFlight = 6;
        // one user per sign-in: concurrent attempts for one username count against its sign-in limit
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            String user = "{\"username\":\"shutdown-" + i + "\",\"password\":\"" + PASSWORD + "\"}";
            assertEquals(
                    201,
                    HTTP.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    "http://127.0.0.1:" + service.port() + "/v1/auth/signup"))
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString(user))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode());
            bodies.add(user.getBytes(StandardCharsets.UTF_8));
        }
        List<Socket> sockets = new ArrayList<>();
        try {
            // each sign-in: headers and the first 10 bytes of its body now, the rest later
            for (byte[] bytes : bodies) {
                Socket s = new Socket("127.0.0.1", service.port());
                s.setSoTimeout((int) TIMEOUT.toMillis());
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes, 0, 10);
                out.flush();
                sockets.add(s);
            }
            long sigterm = System.nanoTime();
            service.process().destroy();

            // the delay: readiness DOWN, yet a new request is still served (the balancer is still catching up)
            Awaitility.await()
                    .atMost(DELAY)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> status(service.port(), "/q/health/ready") == 503);
            assertEquals(200, status(service.port(), "/q/health/live"), "during the delay requests are still served");
            // after the delay Quarkus waits for the requests in flight (ours: their bodies are still coming)
            Awaitility.await()
                    .atMost(DELAY.plusSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> service.output().contains("Waiting for HTTP requests to complete"));
            long drainingAfter = System.nanoTime() - sigterm;

            // now the rest of each body: every in-flight sign-in finishes normally
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) {
                byte[] bytes = bodies.get(i);
                sockets.get(i).getOutputStream().write(bytes, 10, bytes.length - 10);
                sockets.get(i).getOutputStream().flush();
            }
            for (Socket s : sockets) {
                answers.add(statusLine(s.getInputStream()));
            }
            assertTrue(answers.stream().allMatch(a -> a.startsWith("HTTP/1.1 200")), "in-flight sign-ins: " + answers);

            assertTrue(
                    service.process().waitFor(DELAY.plus(TIMEOUT).toSeconds(), TimeUnit.SECONDS),
                    "exits within delay + timeout");
            long exited = System.nanoTime() - sigterm;
            System.out.printf(
                    "graceful shutdown: %d in-flight sign-ins at SIGTERM, answers %s; draining from %d ms;"
                            + " exit %d after %d ms%n",
                    inFlight,
                    answers,
                    drainingAfter / 1_000_000,
                    service.process().exitValue(),
                    exited / 1_000_000);
            // 143 = 128 + SIGTERM: the JVM's status after a signal, whatever its shutdown hooks did
            assertEquals(143, service.process().exitValue(), service.output());
            assertTrue(!service.output().contains("Timed out waiting for graceful shutdown"), service.output());
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    // ---- requests

    private static ProductionStart.Running start(String name, int port) throws Exception {
        ProductionStart.Running r = auth.start(name, port);
        RUNNING.add(r);
        return r;
    }

    private static void awaitReady(int port) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> status(port, "/q/health/ready") == 200);
    }

    private static int status(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
