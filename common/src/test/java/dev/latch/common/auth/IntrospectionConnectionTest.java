package dev.latch.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.latch.common.security.PersonalAccessTokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The introspection client against the ways a real auth-service treats its connections: a kept-alive connection
 * closed by the server just as the next call is written into it (its idle timeout, a restart, a proxy in between),
 * and many requests for one PAT arriving while its introspection is still under way (a cache entry just expired).
 */
class IntrospectionConnectionTest {

    private static final String ACTIVE =
            "{\"active\":true,\"sub\":\"u1\",\"username\":\"alice\",\"role\":\"USER\",\"scope\":\"attachments:read\"}";

    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    @Test
    void aPatIsResolvedWhenAuthServiceClosesThePooledConnectionAsTheCallArrives() throws Exception {
        KeepAliveServer server = new KeepAliveServer();
        servers.add(server);
        LatchPrincipalFactory factory = factory(server.url());
        assertEquals("u1", factory.parse(PersonalAccessTokens.generate(), null).getSubject());
        assertEquals(1, server.connections(), "the first call's connection is kept alive");

        // the next call reuses that connection; the server reads it and closes without an answer
        server.dropNextReusedCall();
        String pat = PersonalAccessTokens.generate();
        assertEquals("u1", factory.parse(pat, null).getSubject(), "a valid PAT, though its first call was dropped");
        assertEquals(2, server.connections(), "sent again on a new connection");
        assertEquals(3, server.requests(), "the dropped call and the one sent again");
        assertEquals("u1", factory.parse(pat, null).getSubject());
        assertEquals(3, server.requests(), "the answer is cached as any other");
    }

    @Test
    void aTimeoutIsNotSentAgain() throws Exception {
        // auth-service slow: asking twice would double the caller's wait and auth-service's load
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        String url = slowServer(calls, release);
        IntrospectionPatResolver resolver = resolver(url);
        try {
            Optional<JwtClaims> never = resolver.resolve(PersonalAccessTokens.generate());
            throw new AssertionError("resolved without an answer: " + never);
        } catch (IntrospectionPatResolver.Unavailable expected) {
            assertEquals(1, calls.get());
        } finally {
            release.countDown();
        }
    }

    @Test
    void requestsForOnePatWhileItIsBeingIntrospectedShareOneCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        IntrospectionPatResolver resolver = resolver(slowServer(calls, release));
        String pat = PersonalAccessTokens.generate();
        int callers = 8;
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<String>> subjects = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                subjects.add(pool.submit(() -> {
                    threads.add(Thread.currentThread());
                    return resolver.resolve(pat).orElseThrow().getSubject();
                }));
            }
            // every caller inside resolve and parked (on its own call or on the shared one) before auth-service answers
            Awaitility.await()
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> calls.get() >= 1
                            && threads.size() == callers
                            && threads.stream()
                                    .allMatch(t -> t.getState() == Thread.State.WAITING
                                            || t.getState() == Thread.State.TIMED_WAITING));
            release.countDown();
            for (Future<String> s : subjects) {
                assertEquals("u1", s.get(5, TimeUnit.SECONDS));
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertEquals(1, calls.get(), "one introspection for " + callers + " concurrent requests of one PAT");
        // a later request is a cache hit
        assertEquals("u1", resolver.resolve(pat).orElseThrow().getSubject());
        assertEquals(1, calls.get());
    }

    @Test
    void anErrorAnswerIsNeitherSentAgainNorCached() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/introspect", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = (failing.get() ? "{}" : ACTIVE).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(failing.get() ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        IntrospectionPatResolver resolver =
                resolver("http://127.0.0.1:" + server.getAddress().getPort() + "/introspect");
        String pat = PersonalAccessTokens.generate();
        try {
            resolver.resolve(pat);
            throw new AssertionError("a 503 resolved the PAT");
        } catch (IntrospectionPatResolver.Unavailable expected) {
            assertEquals(1, calls.get(), "an error answer is not sent again");
        }
        failing.set(false);
        assertEquals("u1", resolver.resolve(pat).orElseThrow().getSubject(), "the failure was not cached");
        assertEquals(2, calls.get());
    }

    // ---- helpers

    private static LatchPrincipalFactory factory(String url) {
        TestJwtConfig config = TestJwtConfig.introspection(url, 100, 100);
        return new LatchPrincipalFactory(config, null, new IntrospectionPatResolver(config, new ObjectMapper()));
    }

    private static IntrospectionPatResolver resolver(String url) {
        return new IntrospectionPatResolver(TestJwtConfig.introspection(url, 100, 100), new ObjectMapper());
    }

    /** A JDK HTTP server, a thread per request, counting calls and answering once {@code release} opens. */
    private String slowServer(AtomicInteger calls, CountDownLatch release) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/introspect", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    exchange.close();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.close();
                return;
            }
            byte[] body = ACTIVE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(() -> {
            server.stop(0);
            handlers.shutdownNow();
        });
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect";
    }

    /**
     * HTTP/1.1 with keep-alive over plain sockets, answering every introspection as active. After
     * {@link #dropNextReusedCall()}, the next request that arrives on a connection already used is read and the
     * connection closed without an answer: what the client sees when the server's idle timeout fires just as it
     * writes a request into a pooled connection.
     */
    private static final class KeepAliveServer implements AutoCloseable {

        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicBoolean drop = new AtomicBoolean();

        KeepAliveServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(
                    () -> {
                        while (!socket.isClosed()) {
                            try {
                                Socket s = socket.accept();
                                accepted.add(s);
                                Thread serving = new Thread(() -> serve(s), "keep-alive-connection");
                                serving.setDaemon(true);
                                serving.start();
                            } catch (IOException closed) {
                                return;
                            }
                        }
                    },
                    "keep-alive-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/introspect";
        }

        void dropNextReusedCall() {
            drop.set(true);
        }

        int connections() {
            return accepted.size();
        }

        int requests() {
            return requests.get();
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int onThisConnection = 0; ; onThisConnection++) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    in.readNBytes(contentLength(head));
                    requests.incrementAndGet();
                    if (onThisConnection > 0 && drop.compareAndSet(true, false)) {
                        return;
                    }
                    byte[] body = ACTIVE.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                last4 = last4 << 8 | b;
                if (last4 == 0x0d0a0d0a) {
                    return head.toString(StandardCharsets.US_ASCII);
                }
            }
            return null;
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(
                            line.substring("content-length:".length()).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
