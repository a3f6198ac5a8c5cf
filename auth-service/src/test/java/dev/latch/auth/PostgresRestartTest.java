package dev.latch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.security.SecureTokens;
import dev.latch.common.testing.PrivatePostgres;
import dev.latch.common.testing.PrivatePostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * auth-service's PostgreSQL really restarted (a fast stop, then an immediate one: a crash) while
 * clients sign up, sign in, rotate refresh tokens, create PATs and use them. Every request gets its
 * right answer or 503 problem+json with Retry-After, never anything else; readiness goes DOWN and UP;
 * afterwards no refresh family has two live heads, every acknowledged user and PAT is there, and the
 * audit log holds an event for exactly the requests that succeeded.
 */
@QuarkusTest
@TestProfile(PostgresRestartTest.OwnPostgres.class)
class PostgresRestartTest {

    private static final String DATABASE = "latch_auth_test";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class OwnPostgres implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivatePostgresResource.class, Map.of("database", DATABASE)));
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final List<String> wrong = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> successes = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final List<String> staleAfterRecovery = new CopyOnWriteArrayList<>();
    /** PostgreSQL is up and readiness has said so since {@link #servingSince}. */
    private volatile boolean serving = true;

    private volatile long servingSince = System.nanoTime();

    // what the clients were told, to check against the database afterwards
    private final Set<String> signedUp = ConcurrentHashMap.newKeySet();
    private final Set<String> signUpsRefused = ConcurrentHashMap.newKeySet();
    private final List<String> signInTokens = new CopyOnWriteArrayList<>();
    private final Set<String> patsCreated = ConcurrentHashMap.newKeySet();

    @Test
    void restartsUnderLoadAreAnsweredOr503AndNothingAcknowledgedIsLost() throws Exception {
        PrivatePostgres pg = PrivatePostgresResource.server();
        String prefix = "pgr" + UUID.randomUUID().toString().substring(0, 6);
        List<String> signInUsers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = prefix + "-in" + i;
            Api.signUp(name);
            signInUsers.add(name);
        }
        assertEquals(
                3,
                rowCount(pg, "SELECT count(*) FROM users WHERE username LIKE ?", prefix + "-in%"),
                "the service runs on the private server");
        String patOwner = prefix + "-pat";
        String ownerToken = Api.userToken(patOwner);
        String refreshUser = prefix + "-refresh";
        Api.signUp(refreshUser);

        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> loops = new ArrayList<>();
        loops.add(clients.submit(loop("signup", i -> signUp(prefix + "-up" + i))));
        loops.add(clients.submit(loop("signin", i -> signIn(signInUsers.get(i % signInUsers.size())))));
        loops.add(clients.submit(refreshLoop(refreshUser)));
        loops.add(clients.submit(loop("pat", i -> createAndUsePat(ownerToken, "load " + i))));
        // PAT creation is cheap (no password hash): a fast loop puts many writes in flight when PostgreSQL stops
        loops.add(clients.submit(loop("pat-burst", i -> createPat(ownerToken, "burst " + i))));
        ReadinessWatch readiness = new ReadinessWatch();
        loops.add(clients.submit(readiness));
        Map<String, Object> figures = new TreeMap<>();
        try {
            awaitSuccessesOfEveryKind(3);
            for (PrivatePostgres.StopMode mode : PrivatePostgres.StopMode.values()) {
                long requestsBefore = total();
                long refusedBefore = refused.get();
                serving = false;
                pg.stop(mode);
                long down = System.nanoTime();
                // down until readiness says so and clients have really met the outage
                Awaitility.await()
                        .atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> !readiness.up && refused.get() >= refusedBefore + 5);
                pg.start();
                long started = System.nanoTime();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> readiness.up);
                long upMs = (System.nanoTime() - started) / 1_000_000;
                // from here on, no request may meet a connection the restart broke
                servingSince = System.nanoTime();
                serving = true;
                awaitSuccessesOfEveryKind(2);
                figures.put(mode + ": readiness UP after PostgreSQL started (ms)", upMs);
                figures.put(mode + ": PostgreSQL down (ms)", (started - down) / 1_000_000);
                figures.put(mode + ": requests during the restart and recovery", total() - requestsBefore);
            }
        } finally {
            running.set(false);
            clients.shutdown();
            assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS), "client loops stopped");
        }
        for (Future<?> f : loops) {
            f.get();
        }
        figures.put("answers", new TreeMap<>(statuses));
        figures.put("readiness transitions", readiness.transitions);
        System.out.println("PostgreSQL restarts under load: " + figures);

        assertTrue(
                wrong.isEmpty(),
                "answers that were neither right nor 503 with Retry-After: " + wrong.size() + " " + wrong);
        assertTrue(
                staleAfterRecovery.isEmpty(),
                "503 for requests started after readiness was UP again (a broken pooled " + "connection handed out): "
                        + staleAfterRecovery);
        assertTrue(
                readiness.transitions >= 4,
                "readiness went DOWN and UP twice: " + readiness.transitions + " transitions");

        try (Connection c = pg.connect(DATABASE)) {
            // rotation stayed linear through the restarts: one unrotated token per family at most
            assertEquals(
                    0,
                    count(
                            c,
                            "SELECT count(*) FROM (SELECT family_id FROM refresh_tokens WHERE rotated_at IS NULL "
                                    + "GROUP BY family_id HAVING count(*) > 1) heads"),
                    "a refresh family with two live heads");
            // nothing acknowledged is lost
            for (String name : signedUp) {
                assertEquals(
                        1, count(c, "SELECT count(*) FROM users WHERE username = ?", name), "user " + name + " lost");
            }
            for (String id : patsCreated) {
                assertEquals(
                        1,
                        count(
                                c,
                                "SELECT count(*) FROM personal_access_tokens WHERE id = ?::uuid AND revoked_at IS NULL",
                                id),
                        "PAT " + id + " lost");
            }
            // an audit event for every success, none for a request that was refused
            Set<String> signUpEvents = strings(
                    c, "SELECT actor FROM audit_events WHERE type = 'auth.signup' AND actor LIKE ?", prefix + "-up%");
            assertTrue(signUpEvents.containsAll(signedUp), "sign-ups without their event");
            Set<String> eventsOfRefused = new HashSet<>(signUpEvents);
            eventsOfRefused.retainAll(signUpsRefused);
            assertTrue(eventsOfRefused.isEmpty(), "sign-up events of refused (503) sign-ups: " + eventsOfRefused);
            assertEquals(signedUp.size(), signUpEvents.size(), "one sign-up event per acknowledged sign-up");

            Set<String> sessions = new HashSet<>();
            for (String token : signInTokens) {
                sessions.add(single(
                        c,
                        "SELECT family_id::text FROM refresh_tokens WHERE token_hash = ?",
                        SecureTokens.sha256(token)));
            }
            Set<String> signInEvents = strings(
                    c,
                    "SELECT metadata->>'session_id' FROM audit_events "
                            + "WHERE type = 'auth.signin.succeeded' AND actor LIKE ?",
                    prefix + "-in%");
            assertEquals(sessions.size(), signInTokens.size(), "one session per sign-in");
            assertEquals(
                    sessions, signInEvents, "one auth.signin.succeeded per acknowledged sign-in, none for another");

            Set<String> patEvents = strings(
                    c,
                    "SELECT metadata->>'pat_id' FROM audit_events WHERE type = 'auth.pat.created' " + "AND actor = ?",
                    patOwner);
            assertEquals(patsCreated, patEvents, "one auth.pat.created per acknowledged PAT, none for another");
        }
    }

    // ---- the clients

    private interface Step {
        void run(int i) throws Exception;
    }

    private Runnable loop(String kind, Step step) {
        return () -> {
            for (int i = 0; running.get(); i++) {
                try {
                    step.run(i);
                } catch (Exception e) {
                    wrong.add(kind + ": " + e);
                }
            }
        };
    }

    private void signUp(String name) throws IOException, InterruptedException {
        Sent r = send(post("/v1/auth/signup", Map.of("username", name, "password", Api.PASSWORD)));
        if (check("signup", r, 201)) {
            signedUp.add(name);
        } else {
            signUpsRefused.add(name);
        }
    }

    private void signIn(String name) throws IOException, InterruptedException {
        Sent r = send(post("/v1/auth/signin", Map.of("username", name, "password", Api.PASSWORD)));
        if (check("signin", r, 200)) {
            signInTokens.add(refreshCookie(r.response()));
        }
    }

    /** One session rotated over and over: a 503 keeps the token, a success replaces it. */
    private Runnable refreshLoop(String name) {
        return loop("refresh", new Step() {
            String token;

            @Override
            public void run(int i) throws Exception {
                if (token == null) {
                    Sent r = send(post("/v1/auth/signin", Map.of("username", name, "password", Api.PASSWORD)));
                    if (check("refresh-signin", r, 200)) {
                        token = refreshCookie(r.response());
                    }
                    return;
                }
                Sent r = send(post("/v1/auth/refresh", Map.of("refreshToken", token)));
                if (check("refresh", r, 200)) {
                    token = JSON.readTree(r.body()).path("refreshToken").asText();
                }
            }
        });
    }

    private void createPat(String ownerToken, String name) throws IOException, InterruptedException {
        Sent r =
                send(post("/v1/users/me/tokens", Map.of("name", name)).header("Authorization", "Bearer " + ownerToken));
        if (check("pat-create", r, 201)) {
            patsCreated.add(JSON.readTree(r.body()).path("id").asText());
        }
    }

    private void createAndUsePat(String ownerToken, String name) throws IOException, InterruptedException {
        Sent r =
                send(post("/v1/users/me/tokens", Map.of("name", name)).header("Authorization", "Bearer " + ownerToken));
        if (!check("pat-create", r, 201)) {
            return;
        }
        JsonNode pat = JSON.readTree(r.body());
        patsCreated.add(pat.path("id").asText());
        for (int use = 0; use < 3; use++) {
            check(
                    "pat-use",
                    send(get("/v1/users/me")
                            .header(
                                    "Authorization",
                                    "Bearer " + pat.path("token").asText())),
                    200);
            check("jwt-use", send(get("/v1/users/me").header("Authorization", "Bearer " + ownerToken)), 200);
        }
    }

    /** True for the expected success; false for a 503 with Retry-After; anything else is recorded as wrong. */
    private boolean check(String kind, Sent sent, int expected) {
        HttpResponse<String> r = sent.response();
        statuses.computeIfAbsent(kind + " " + r.statusCode(), k -> new AtomicLong())
                .incrementAndGet();
        if (r.statusCode() == expected) {
            successes.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            return true;
        }
        if (r.statusCode() == 503) {
            refused.incrementAndGet();
            if (sent.servingAtStart() && sent.startedAt() > sent.servingSince()) {
                staleAfterRecovery.add(kind + " "
                        + r.body().substring(0, Math.min(200, r.body().length())));
            }
        }
        boolean retryable = r.statusCode() == 503
                && r.headers().firstValue("Retry-After").isPresent()
                && r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
        if (!retryable && wrong.size() < 20) {
            wrong.add(kind + " " + r.statusCode() + " "
                    + r.headers().firstValue("Retry-After").orElse("-") + " "
                    + r.body().substring(0, Math.min(300, r.body().length())));
        } else if (!retryable) {
            wrong.add(kind + " " + r.statusCode());
        }
        return false;
    }

    private void awaitSuccessesOfEveryKind(long more) {
        Map<String, Long> now = new TreeMap<>();
        for (String kind : List.of("signup", "signin", "refresh", "pat-create", "pat-use", "jwt-use")) {
            now.put(kind, successes.computeIfAbsent(kind, k -> new AtomicLong()).get());
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> now.entrySet().stream()
                        .allMatch(e -> successes.get(e.getKey()).get() >= e.getValue() + more));
    }

    private long total() {
        return statuses.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Polls readiness every 50 ms and counts its transitions. */
    private final class ReadinessWatch implements Runnable {
        volatile boolean up = true;
        volatile int transitions;

        @Override
        public void run() {
            while (running.get()) {
                boolean nowUp;
                try {
                    nowUp = send(get("/q/health/ready")).response().statusCode() == 200;
                } catch (IOException | InterruptedException e) {
                    nowUp = false;
                }
                if (nowUp != up) {
                    transitions++;
                    up = nowUp;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    // ---- HTTP and SQL plumbing

    private HttpRequest.Builder post(String path, Map<String, String> json) throws IOException {
        return HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json)));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(15)).GET();
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    /** An answer, and whether PostgreSQL was serving (readiness UP) for the whole request. */
    private record Sent(HttpResponse<String> response, long startedAt, boolean servingAtStart, long servingSince) {
        String body() {
            return response.body();
        }
    }

    private Sent send(HttpRequest.Builder request) throws IOException, InterruptedException {
        boolean servingAtStart = serving;
        long since = servingSince;
        long startedAt = System.nanoTime();
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        // served from start to end: no stop began while the request was in flight
        boolean servedThroughout = servingAtStart && serving && servingSince == since;
        return new Sent(response, startedAt, servedThroughout, since);
    }

    private static String refreshCookie(HttpResponse<String> r) {
        return r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("latch_refresh="))
                .map(c -> c.substring("latch_refresh=".length(), c.indexOf(';')))
                .findFirst()
                .orElseThrow();
    }

    private static long rowCount(PrivatePostgres pg, String sql, Object... params) throws SQLException {
        try (Connection c = pg.connect(DATABASE)) {
            return count(c, sql, params);
        }
    }

    private static long count(Connection c, String sql, Object... params) throws SQLException {
        return Long.parseLong(single(c, sql, params));
    }

    private static String single(Connection c, String sql, Object... params) throws SQLException {
        Set<String> all = strings(c, sql, params);
        return all.isEmpty() ? null : all.iterator().next();
    }

    private static Set<String> strings(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
