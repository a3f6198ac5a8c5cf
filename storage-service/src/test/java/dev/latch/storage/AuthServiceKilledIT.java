package dev.latch.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.testing.PackagedAuthService;
import dev.latch.common.testing.ProductionStart;
import dev.latch.common.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged auth-service and the packaged storage-service, both in the production profile, then auth-service
 * killed (SIGKILL): the access token storage-service verified before keeps working from its cached JWKS, a token
 * naming a kid it has not seen is 401, the PAT works while its introspection cache entry lives (3 s here) and is 401
 * afterwards — never a 500, every answer within seconds. The reactor packages auth-service before this module; with
 * its jar missing (e.g. {@code -pl storage-service} on a fresh clone) the test is skipped.
 */
class AuthServiceKilledIT {

    private static final Path AUTH_JAR = Path.of("..", "auth-service", "target", "quarkus-app", "quarkus-run.jar");
    private static final String STORAGE_DATABASE = "latch_storage_auth_killed_test";
    private static final String INTROSPECT_CLIENT = "latch-introspect";
    private static final String INTROSPECT_SECRET = PackagedAuthService.random(24);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long BOUND_MS = 5000;

    private static PackagedAuthService auth;
    private static ProductionStart.Running authService;
    private static ProductionStart.Running storage;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(
                Files.exists(AUTH_JAR), AUTH_JAR + " is not packaged (./mvnw verify builds it before this module)");
        auth = PackagedAuthService.prepare(
                AUTH_JAR,
                Files.createDirectories(Path.of("target", "auth-service-killed")),
                "latch_auth_storage_killed_test",
                14,
                List.of(new PackagedAuthService.Client(
                        INTROSPECT_CLIENT, INTROSPECT_SECRET, "tokens:introspect", false)));
        authService = auth.start("auth-service-for-storage", 0);
        TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + STORAGE_DATABASE + " WITH (FORCE)");
        TestDatabase.update("postgres", "CREATE DATABASE " + STORAGE_DATABASE);
        storage = ProductionStart.start(
                "storage-with-auth-killed",
                Map.of(
                        "QUARKUS_HTTP_HOST",
                        "127.0.0.1",
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        "jdbc:postgresql://127.0.0.1:5432/" + STORAGE_DATABASE,
                        "QUARKUS_DATASOURCE_USERNAME",
                        "postgres",
                        "LATCH_STORAGE_URL_SIGNING_KEY",
                        PackagedAuthService.random(32),
                        "LATCH_AUTH_SERVICE_URL",
                        "http://127.0.0.1:" + authService.port(),
                        "LATCH_JWT_ISSUER",
                        PackagedAuthService.ISSUER,
                        "LATCH_JWT_INTROSPECTION_CLIENT_ID",
                        INTROSPECT_CLIENT,
                        "LATCH_JWT_INTROSPECTION_CLIENT_SECRET",
                        INTROSPECT_SECRET,
                        "LATCH_JWT_INTROSPECTION_CACHE_TTL",
                        "3S"),
                Duration.ofSeconds(120));
        for (int port : new int[] {authService.port(), storage.port()}) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> send(HttpRequest.newBuilder(url(port, "/q/health/ready")))
                                    .statusCode()
                            == 200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (ProductionStart.Running r : new ProductionStart.Running[] {storage, authService}) {
            if (r != null) {
                r.close();
            }
        }
        if (auth != null) {
            auth.dropDatabase();
            TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + STORAGE_DATABASE + " WITH (FORCE)");
        }
    }

    @Test
    void afterAuthServiceIsKilledVerifiedTokensKeepWorkingAndUnknownKidsAndExpiredPatsAre401() throws Exception {
        String user = "{\"username\":\"killed-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"password\":\"correct horse battery\"}";
        assertEquals(
                201, post(authService.port(), "/v1/auth/signup", user, null).statusCode());
        String token = JSON.readTree(
                        post(authService.port(), "/v1/auth/signin", user, null).body())
                .path("accessToken")
                .asText();
        HttpResponse<String> created = post(
                authService.port(),
                "/v1/users/me/tokens",
                "{\"name\":\"storage\",\"scopes\":[\"attachments:read\"]}",
                token);
        assertEquals(201, created.statusCode(), created.body());
        String pat = JSON.readTree(created.body()).path("token").asText();
        assertEquals(200, list(token), "the access token, verified with the JWKS fetched from auth-service");
        assertEquals(200, list(pat), "the PAT, introspected at auth-service");

        authService.process().destroyForcibly();
        assertTrue(authService.process().waitFor(10, TimeUnit.SECONDS), "auth-service killed");
        long killed = System.nanoTime();

        assertEquals(200, list(token), "verified from the cached JWKS");
        String unknownKid = resignedWithANewKey(token);
        assertEquals(401, timed(() -> list(unknownKid)), "a kid storage-service has not seen");
        // the PAT: 200 while its cache entry lives, then 401 — never anything else
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    int status = list(pat);
                    assertTrue(List.of(200, 401).contains(status), "PAT with auth-service killed answered " + status);
                    return status == 401;
                });
        long refusedAfter = (System.nanoTime() - killed) / 1_000_000;
        assertEquals(401, timed(() -> list(pat)));
        assertEquals(200, list(token), "still verified after the PAT's entry expired");
        System.out.printf(
                "auth-service killed: access token 200, unknown kid 401, PAT 401 from %d ms after the kill%n",
                refusedAfter);
    }

    private interface Status {
        int get() throws Exception;
    }

    private static int timed(Status request) throws Exception {
        long start = System.nanoTime();
        int status = request.get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < BOUND_MS, "answered " + status + " after " + ms + " ms");
        return status;
    }

    private static int list(String bearer) throws Exception {
        return send(HttpRequest.newBuilder(url(storage.port(), "/api/v1/attachments"))
                        .header("Authorization", "Bearer " + bearer))
                .statusCode();
    }

    private static HttpResponse<String> post(int port, String path, String json, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(port, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI url(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The same claims under a key and kid the JWKS never listed (a token of a key rotated in later). */
    private static String resignedWithANewKey(String token) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue("rotated-" + UUID.randomUUID());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "at+jwt");
        return jws.getCompactSerialization();
    }
}
