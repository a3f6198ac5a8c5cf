package dev.latch.idp.provider;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.security.SecureTokens;
import dev.latch.common.testing.AuthServerStub;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bounds on what one login may cost: a provider's answer, the state /start stores, and SPA codes without PKCE. */
@QuarkusTest
class ProviderLimitsTest {

    private static ServerSocket trickler;
    private static final AtomicInteger connections = new AtomicInteger();

    /** A token endpoint that sends its headers at once, then one byte per second of a long body. */
    @BeforeAll
    static void startTrickler() throws IOException {
        trickler = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!trickler.isClosed()) {
                try {
                    Socket socket = trickler.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> trickle(socket));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
    }

    private static void trickle(Socket socket) {
        try (socket) {
            socket.getInputStream().read(new byte[8192]);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 100000; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(1000);
            }
        } catch (IOException | InterruptedException e) {
            // the broker hung up: what the test wants
        }
    }

    @AfterAll
    static void stopTrickler() throws IOException {
        trickler.close();
    }

    @Test
    void aProviderTricklingItsAnswerIsCutOffAtTheDeadline() {
        String provider =
                Flows.createOidcProvider(Map.of("tokenUrl", "http://127.0.0.1:" + trickler.getLocalPort() + "/token"));
        Flows.Started started = Flows.started(provider, "/app");
        int before = AuthServerStub.federatedRequests().size();
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> Flows.callback(provider, Map.of("code", "c", "state", started.state()), started.bindingCookie())
                        .then()
                        .statusCode(307)
                        .header("Location", "/app?oauth_error=token_exchange_failed"));
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertTrue(seconds >= 8 && seconds <= 20, "cut off after the 10 s default deadline, took " + seconds + " s");
        assertTrue(connections.get() >= 1);
        org.junit.jupiter.api.Assertions.assertEquals(
                before, AuthServerStub.federatedRequests().size());
    }

    @Test
    void redirectToOver2048BytesIs400() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.start(provider, "/" + "a".repeat(2047)).then().statusCode(307);
        Flows.start(provider, "/" + "a".repeat(2048))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("2048"));
    }

    @Test
    void singlePageAppWithoutCodeVerifierIs400() {
        String provider = Flows.createOidcProvider(Map.of("pkce", false));
        String redirectUri = "https://spa.example/callback";
        String code = Flows.spaCodeAtMock(redirectUri, null, "no-pkce", Map.of());
        int before = AuthServerStub.federatedRequests().size();
        given().contentType(ContentType.JSON)
                .body(Map.of("code", code, "redirectUri", redirectUri))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("codeVerifier"));
        org.junit.jupiter.api.Assertions.assertEquals(
                before, AuthServerStub.federatedRequests().size());
        // with a verifier the same kind of code works
        String verifier = SecureTokens.randomBase64Url(32);
        String pkceCode = Flows.spaCodeAtMock(redirectUri, verifier, "with-pkce", Map.of());
        given().contentType(ContentType.JSON)
                .body(Map.of("code", pkceCode, "redirectUri", redirectUri, "codeVerifier", verifier))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(200);
    }

    @Test
    void requestBodiesOver64KibAre413ProblemJson() {
        String admin = AuthServerStub.userToken("body-admin", "ADMIN");
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", "big", "kind", "oidc", "title", "t".repeat(70_000)))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("code", "c".repeat(70_000), "redirectUri", "https://app.example/cb"))
                .post("/v1/auth/oauth/nope/token")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void aSinglePageAppTokenRequestNamesEachRefusedFieldAfterTheProvider() {
        String provider = Flows.createOidcProvider(Map.of());
        given().contentType(ContentType.JSON)
                .body(Map.of("code", " ", "redirectUri", "ftp://spa.example/callback"))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("code", "codeVerifier", "redirectUri"))
                .body("errors.message", org.hamcrest.Matchers.hasItem("code is required."));
        // an unknown provider is 404 whatever the body
        given().contentType(ContentType.JSON)
                .body(Map.of("code", " "))
                .post("/v1/auth/oauth/" + Flows.uniqueId("none") + "/token")
                .then()
                .statusCode(404);
    }
}
