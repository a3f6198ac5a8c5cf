package dev.latch.idp.provider;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.latch.common.testing.TestDatabase;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSRF: with internal addresses refused (the production default), provider URLs an admin enters, and
 * endpoints a discovery document names, may not point into the cluster. 127.0.0.1 is exempted by
 * name here so a local "provider" can serve a discovery document; every other loopback address is not.
 */
@QuarkusTest
@TestProfile(PrivateProviderHostsTest.InternalAddressesRefused.class)
class PrivateProviderHostsTest {

    public static class InternalAddressesRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latch.idp.allow-private-provider-hosts",
                    "false",
                    "latch.idp.allowed-private-provider-hosts",
                    "127.0.0.1");
        }
    }

    private static HttpServer provider;
    private static final AtomicReference<String> discovery = new AtomicReference<>();
    private static HttpServer internal;
    private static final AtomicInteger internalCalls = new AtomicInteger();

    @BeforeAll
    static void startServers() throws Exception {
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/.well-known/openid-configuration", ex -> {
            byte[] body = discovery.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        provider.start();
        // an "internal service" on another loopback address, which the broker must never reach
        internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        internal.createContext("/", ex -> {
            internalCalls.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        internal.start();
    }

    @AfterAll
    static void stopServers() {
        provider.stop(0);
        internal.stop(0);
    }

    private static String issuer() {
        return "http://127.0.0.1:" + provider.getAddress().getPort();
    }

    private static String discoveryWith(String member, String url) {
        Map<String, String> doc = new HashMap<>(Map.of(
                "issuer",
                issuer(),
                "authorization_endpoint",
                issuer() + "/authorize",
                "token_endpoint",
                issuer() + "/token",
                "userinfo_endpoint",
                issuer() + "/userinfo",
                "jwks_uri",
                issuer() + "/jwks"));
        doc.put(member, url);
        StringBuilder json = new StringBuilder("{");
        doc.forEach(
                (k, v) -> json.append('"').append(k).append("\":\"").append(v).append("\","));
        json.setLength(json.length() - 1);
        return json.append('}').toString();
    }

    @Test
    void adminUrlsPointingInsideAreRefusedNamingTheField() {
        String admin = Flows.adminToken();
        Map<String, List<String>> cases = Map.of(
                "issuer",
                        List.of(
                                "http://localhost:8081",
                                "http://127.0.0.2/realms/x",
                                "http://10.0.0.1",
                                "http://[::1]:8080",
                                "http://169.254.169.254/latest/meta-data",
                                "http://keycloak:8080/realms/x",
                                "http://auth-service.latch.svc.cluster.local:8081",
                                "http://auth-service.latch.svc",
                                "http://100.64.0.1",
                                "http://0.0.0.0:8081",
                                "http://[fd00::1]",
                                "http://[::ffff:10.0.0.1]",
                                "http://192.168.1.1",
                                "http://172.16.0.1"),
                "baseUrl", List.of("http://10.1.2.3"),
                "tokenUrl", List.of("http://127.0.0.2:9000/token"),
                "userInfoUrl", List.of("http://[fe80::1]/user"),
                "authorizationUrl", List.of("http://metadata/computeMetadata"));
        cases.forEach((field, urls) -> {
            for (String url : urls) {
                Map<String, Object> body = new HashMap<>(
                        Map.of("id", Flows.uniqueId("ssrf"), "kind", "oidc", "clientId", "c", "issuer", issuer()));
                body.put(field, url);
                given().auth()
                        .oauth2(admin)
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post("/v1/identity-providers/admin")
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("detail", containsString(field + " "));
            }
        });
        // the exempted host itself is accepted
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", Flows.uniqueId("ok"), "kind", "oidc", "clientId", "c", "issuer", issuer()))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(201);
    }

    @Test
    void discoveryNamingAnInternalEndpointFailsTheStart() {
        String internalUrl = "http://127.0.0.2:" + internal.getAddress().getPort();
        for (String member : List.of("token_endpoint", "userinfo_endpoint", "jwks_uri")) {
            discovery.set(discoveryWith(member, internalUrl + "/" + member));
            String id = Flows.uniqueId("disc");
            given().auth()
                    .oauth2(Flows.adminToken())
                    .contentType(ContentType.JSON)
                    .body(Map.of("id", id, "kind", "oidc", "clientId", "c", "issuer", issuer()))
                    .post("/v1/identity-providers/admin")
                    .then()
                    .statusCode(201);
            Flows.start(id, "/app").then().statusCode(502).contentType("application/problem+json");
        }
        discovery.set(discoveryWith("token_endpoint", "javascript:alert(1)"));
        String id = Flows.uniqueId("disc");
        given().auth()
                .oauth2(Flows.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "kind", "oidc", "clientId", "c", "issuer", issuer()))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(201);
        Flows.start(id, "/app").then().statusCode(502);
        assertEquals(0, internalCalls.get(), "the internal service was never called");
    }

    @Test
    void storedUrlsAreCheckedAgainAtCallTime() {
        // a row written before this rule, or whose host now resolves inside: stored as such, refused when called
        String id = Flows.uniqueId("old");
        String internalUrl = "http://127.0.0.2:" + internal.getAddress().getPort();
        given().auth()
                .oauth2(Flows.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "id",
                        id,
                        "kind",
                        "github",
                        "clientId",
                        "gh",
                        "authorizationUrl",
                        issuer() + "/authorize",
                        "tokenUrl",
                        issuer() + "/token",
                        "userInfoUrl",
                        issuer() + "/user"))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(201);
        TestDatabase.update(
                "latch_idp_test",
                "UPDATE identity_providers SET token_url = ? WHERE id = ?",
                internalUrl + "/token",
                id);
        Flows.Started started = Flows.started(id, "/app");
        Flows.callback(id, Map.of("code", "c", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/app?oauth_error=token_exchange_failed");
        assertEquals(0, internalCalls.get(), "the internal service was never called");
    }
}
