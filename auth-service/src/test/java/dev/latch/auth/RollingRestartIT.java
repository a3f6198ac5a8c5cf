package dev.latch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.PackagedAuthService;
import dev.latch.common.testing.ProductionStart;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of one of two replicas of the packaged auth-service (production profile, one database, one
 * signing key) under continuous load — sign-ins (Argon2) and {@code /v1/users/me} — behind a client that, like a
 * load balancer or a Kubernetes Service, sends new requests only to replicas whose readiness is UP. SIGTERM turns
 * the replica's readiness DOWN for {@code quarkus.shutdown.delay} while it still serves, so the balancer drains it
 * before it stops: no request fails.
 */
class RollingRestartIT {

    private static final String DATABASE = "latch_auth_rolling_test";
    /** Redis database of its own (see PackagedAuthService). */
    private static final int REDIS_DB = 13;

    private static final Duration DELAY = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static PackagedAuthService auth;
    private static final List<ProductionStart.Running> RUNNING = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        auth = PackagedAuthService.prepare(
                Path.of("target", "quarkus-app", "quarkus-run.jar"),
                java.nio.file.Files.createDirectories(Path.of("target", "rolling-restart")),
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
    void aRollingRestartOfOneOfTwoReplicasUnderLoadFailsNoRequest() throws Exception {
        int portA = freePort();
        int portB = freePort();
        ProductionStart.Running a = start("rolling-a", portA);
        awaitReady(portA);
        ProductionStart.Running b = start("rolling-b", portB);
        awaitReady(portB);
        String token = accessToken(portA);

        Balancer balancer = new Balancer(List.of(portA, portB));
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<Integer, AtomicInteger> served =
                new ConcurrentHashMap<>(Map.of(portA, new AtomicInteger(), portB, new AtomicInteger()));
        AtomicInteger total = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean signIns = i == 0;
            Thread t = new Thread(() -> {
                while (running.get()) {
                    Integer port = balancer.next();
                    if (port == null) {
                        failures.add("no replica ready");
                        continue;
                    }
                    try {
                        HttpResponse<String> r =
                                signIns ? signIn(balancer.client(port), port) : me(balancer.client(port), port, token);
                        total.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(port + ": " + r.statusCode() + " " + r.body());
                        } else {
                            served.get(port).incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.add(port + ": " + e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() ->
                            served.get(portA).get() > 20 && served.get(portB).get() > 20);
            int beforeA = served.get(portA).get();
            long sigterm = System.nanoTime();
            a.process().destroy();
            Awaitility.await().atMost(DELAY).until(() -> !balancer.up(portA));
            assertTrue(a.process().waitFor(DELAY.plus(TIMEOUT).toSeconds(), TimeUnit.SECONDS), "replica A exits");
            long exited = System.nanoTime() - sigterm;
            int duringRestartB = served.get(portB).get();
            ProductionStart.Running a2 = start("rolling-a-again", portA);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> balancer.up(portA));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> served.get(portA).get() > beforeA + 20);
            running.set(false);
            for (Thread t : clients) {
                t.join(TIMEOUT.toMillis());
            }
            System.out.printf(
                    "rolling restart: %d requests (A %d, B %d, B while A restarted %d), %d failed; A exited %d after %d ms%n",
                    total.get(),
                    served.get(portA).get(),
                    served.get(portB).get(),
                    served.get(portB).get() - duringRestartB,
                    failures.size(),
                    a.process().exitValue(),
                    exited / 1_000_000);
            assertEquals(
                    List.of(),
                    failures.subList(0, Math.min(20, failures.size())),
                    failures.size() + " failed requests");
            assertTrue(a2.process().isAlive() && b.process().isAlive());
        } finally {
            running.set(false);
            balancer.close();
        }
    }

    /**
     * What a load balancer (or a Kubernetes Service) does with readiness: probes every replica every 200 ms and
     * sends new requests round-robin to those that answered UP. A replica that comes back gets a fresh connection
     * pool, as a balancer reconnects.
     */
    private static final class Balancer implements AutoCloseable {
        private final List<Integer> ports;
        private final Map<Integer, Boolean> up = new ConcurrentHashMap<>();
        private final Map<Integer, AtomicReference<HttpClient>> clients = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();
        private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor();

        Balancer(List<Integer> ports) {
            this.ports = ports;
            for (int port : ports) {
                up.put(port, true);
                clients.put(port, new AtomicReference<>(newClient()));
            }
            probes.scheduleWithFixedDelay(this::probe, 0, 200, TimeUnit.MILLISECONDS);
        }

        private void probe() {
            for (int port : ports) {
                boolean ready;
                try {
                    ready = status(port, "/q/health/ready") == 200;
                } catch (Exception e) {
                    ready = false;
                }
                Boolean was = up.put(port, ready);
                if (ready && Boolean.FALSE.equals(was)) {
                    clients.get(port).set(newClient());
                }
            }
        }

        boolean up(int port) {
            return up.get(port);
        }

        Integer next() {
            List<Integer> ready = ports.stream().filter(this::up).toList();
            return ready.isEmpty() ? null : ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
        }

        HttpClient client(int port) {
            return clients.get(port).get();
        }

        private static HttpClient newClient() {
            return HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }

        @Override
        public void close() {
            probes.shutdownNow();
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

    private static String accessToken(int port) throws Exception {
        String body = signIn(HTTP, port).body();
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(body)
                .path("accessToken")
                .asText();
    }

    private static HttpResponse<String> signIn(HttpClient client, int port) throws IOException, InterruptedException {
        String body = "{\"username\":\"" + auth.adminUsername() + "\",\"password\":\"" + auth.adminPassword() + "\"}";
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/auth/signin"))
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> me(HttpClient client, int port, String token)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/users/me"))
                        .timeout(TIMEOUT)
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
