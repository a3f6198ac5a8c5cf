package dev.latch.auth.client;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.common.security.SecureTokens;
import dev.latch.common.testing.SecretLedger;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** ADMIN registers OAuth clients through /v1/oauth-clients; a stored confidential client runs client_credentials. */
@QuarkusTest
class OAuthClientTest {

    private static final String CLIENTS = "/v1/oauth-clients";

    /** A confidential client for client_credentials with two scopes. */
    private static Map<String, Object> machine(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "confidential");
        body.put("grantTypes", List.of("client_credentials"));
        body.put("scopes", List.of("orders:read", "orders:write"));
        return body;
    }

    /** A public browser client with a redirect URI. */
    private static Map<String, Object> browser(String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "public");
        body.put("redirectUris", List.of("https://app.example.com/callback"));
        body.put("grantTypes", List.of("authorization_code", "refresh_token"));
        body.put("scopes", List.of("openid", "profile"));
        return body;
    }

    private static Response create(String admin, Object body) {
        return given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(body)
                .post(CLIENTS);
    }

    private static JsonPath created(String admin, Object body) {
        JsonPath json = create(admin, body).then().statusCode(201).extract().jsonPath();
        SecretLedger.record("client secret", json.getString("clientSecret"));
        return json;
    }

    private static Response token(String clientId, String secret, String scope) {
        var spec = given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials");
        if (scope != null) {
            spec.formParam("scope", scope);
        }
        return spec.post("/oauth2/token");
    }

    private static Response put(String admin, String clientId, Object body) {
        return given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(body)
                .put(CLIENTS + "/" + clientId);
    }

    private static Response rotate(String admin, String clientId) {
        return given().auth().oauth2(admin).post(CLIENTS + "/" + clientId + "/secret");
    }

    /** A new ADMIN and a confidential client it registered, whose secret was just shown to get a token. */
    private record Registered(String admin, String id, String secret) {}

    private static Registered registered(String name) {
        String admin = Api.newAdminToken();
        JsonPath client = created(admin, machine(name));
        Registered r = new Registered(admin, client.getString("clientId"), client.getString("clientSecret"));
        token(r.id(), r.secret(), null).then().statusCode(200);
        return r;
    }

    @Test
    void aConfidentialClientGetsItsSecretOnceAndRunsClientCredentialsWithinItsScopes() {
        String admin = Api.newAdminToken();
        Response answer = create(admin, machine("Orders batch"));
        answer.then()
                .statusCode(201)
                .header("Location", endsWith(CLIENTS + "/" + answer.path("clientId")))
                .header("Cache-Control", "no-store")
                .body("name", equalTo("Orders batch"))
                .body("type", equalTo("confidential"))
                .body("redirectUris", empty())
                .body("postLogoutRedirectUris", empty())
                .body("grantTypes", equalTo(List.of("client_credentials")))
                .body("scopes", equalTo(List.of("orders:read", "orders:write")))
                .body("firstParty", equalTo(false))
                .body("requirePar", equalTo(false))
                .body("$", hasKey("backchannelLogoutUri"))
                .body("backchannelLogoutUri", nullValue())
                .body("createdAt", notNullValue())
                .body("updatedAt", equalTo(answer.path("createdAt")))
                .body("$", not(hasKey("secretHash")));
        String id = answer.path("clientId");
        String secret = answer.path("clientSecret");
        SecretLedger.record("client secret", secret);
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        assertTrue(secret.matches("[A-Za-z0-9_-]{43}"), secret);
        // only the SHA-256 of the secret is stored
        assertEquals(
                "\\x" + HexFormat.of().formatHex(SecureTokens.sha256(secret)),
                Api.single("SELECT secret_hash::text FROM oauth_clients WHERE client_id = ?", id));

        given().auth()
                .oauth2(admin)
                .get(CLIENTS + "/" + id)
                .then()
                .statusCode(200)
                .body("clientId", equalTo(id))
                .body("createdAt", equalTo(answer.path("createdAt")))
                .body("scopes", equalTo(List.of("orders:read", "orders:write")))
                .body("$", not(hasKey("clientSecret")))
                .body("$", not(hasKey("secretHash")))
                .body(not(containsString(secret)));
        String listed = given().auth()
                .oauth2(admin)
                .queryParam("pageSize", 200)
                .get(CLIENTS)
                .then()
                .statusCode(200)
                .body("items.every { !it.containsKey('clientSecret') }", equalTo(true))
                .extract()
                .asString();
        assertTrue(!listed.contains(secret));

        token(id, secret, null)
                .then()
                .statusCode(200)
                .body("scope", equalTo("orders:read orders:write"))
                .body("access_token", notNullValue());
        token(id, secret, "orders:read").then().statusCode(200).body("scope", equalTo("orders:read"));
        token(id, secret, "orders:read tokens:introspect")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_scope"));
        // the form's client_secret_post works too
        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", id)
                .formParam("client_secret", secret)
                .post("/oauth2/token")
                .then()
                .statusCode(200);
        token(id, secret + "x", null).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aClientWithoutTheGrantTypeIsRefusedIt() {
        String admin = Api.newAdminToken();
        Map<String, Object> body = machine("Refresh only");
        body.put("grantTypes", List.of("refresh_token"));
        JsonPath client = created(admin, body);
        token(client.getString("clientId"), client.getString("clientSecret"), null)
                .then()
                .statusCode(400)
                .body("error", equalTo("unauthorized_client"));
    }

    @Test
    void aPublicClientHasNoSecretAndNeverAuthenticatesWithOne() {
        String admin = Api.newAdminToken();
        Map<String, Object> body = browser("Single-page app");
        body.put("firstParty", true);
        body.put("requirePar", true);
        body.put("postLogoutRedirectUris", List.of("https://app.example.com/bye"));
        body.put("backchannelLogoutUri", "https://app.example.com/logout");
        Response answer = create(admin, body);
        answer.then()
                .statusCode(201)
                .body("type", equalTo("public"))
                .body("$", not(hasKey("clientSecret")))
                .body("firstParty", equalTo(true))
                .body("requirePar", equalTo(true))
                .body("redirectUris", equalTo(List.of("https://app.example.com/callback")))
                .body("postLogoutRedirectUris", equalTo(List.of("https://app.example.com/bye")))
                .body("backchannelLogoutUri", equalTo("https://app.example.com/logout"));
        String id = answer.path("clientId");
        assertEquals(null, Api.single("SELECT secret_hash FROM oauth_clients WHERE client_id = ?", id));
        // no secret works, not even the id itself (the comparison an unknown id is given)
        for (String secret : List.of("", "secret", id)) {
            token(id, secret, null).then().statusCode(401).body("error", equalTo("invalid_client"));
        }
        rotate(admin, id).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void rotatingTheSecretEndsTheOldOneAtOnce() {
        Registered client = registered("Rotated");
        String admin = client.admin();
        String id = client.id();
        String old = client.secret();

        Response rotated = rotate(admin, id);
        rotated.then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("clientId", equalTo(id))
                .body("name", equalTo("Rotated"))
                .body("scopes", equalTo(List.of("orders:read", "orders:write")))
                .body("clientSecret", notNullValue());
        String fresh = rotated.path("clientSecret");
        SecretLedger.record("client secret", fresh);
        assertNotEquals(old, fresh);

        token(id, old, null).then().statusCode(401).body("error", equalTo("invalid_client"));
        token(id, fresh, null).then().statusCode(200);
        given().auth()
                .oauth2(admin)
                .get(CLIENTS + "/" + id)
                .then()
                .statusCode(200)
                .body("$", not(hasKey("clientSecret")));
        rotate(admin, "AAAAAAAAAAAAAAAAAAAAAA").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void putReplacesTheMutableFieldsAndKeepsIdTypeAndSecret() {
        String admin = Api.newAdminToken();
        JsonPath client = created(admin, machine("Before"));
        String id = client.getString("clientId");
        String secret = client.getString("clientSecret");

        Map<String, Object> change = new HashMap<>();
        change.put("name", "After");
        change.put("grantTypes", List.of("client_credentials", "refresh_token"));
        change.put("scopes", List.of("orders:read"));
        change.put("redirectUris", List.of("http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:3000/cb"));
        change.put("firstParty", true);
        put(admin, id, change)
                .then()
                .statusCode(200)
                .body("clientId", equalTo(id))
                .body("type", equalTo("confidential"))
                .body("name", equalTo("After"))
                .body("grantTypes", equalTo(List.of("client_credentials", "refresh_token")))
                .body("scopes", equalTo(List.of("orders:read")))
                .body("redirectUris", hasItem("http://[::1]:3000/cb"))
                .body("firstParty", equalTo(true))
                .body("requirePar", equalTo(false))
                .body("createdAt", equalTo(client.getString("createdAt")))
                .body("updatedAt", not(equalTo(client.getString("createdAt"))))
                .body("$", not(hasKey("clientSecret")));
        // the same secret, now with one scope
        token(id, secret, null).then().statusCode(200).body("scope", equalTo("orders:read"));
        token(id, secret, "orders:write").then().statusCode(400).body("error", equalTo("invalid_scope"));

        // the type may be given, but not changed
        change.put("type", "confidential");
        put(admin, id, change).then().statusCode(200);
        change.put("type", "public");
        put(admin, id, change)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("type cannot change"));
        change.remove("type");
        change.put("grantTypes", List.of("authorization_code"));
        change.put("redirectUris", List.of());
        put(admin, id, change).then().statusCode(400).body("errors.field", equalTo(List.of("redirectUris")));
        put(admin, id, Map.of("name", "x", "grantTypes", List.of("client_credentials"), "clientId", "other"))
                .then()
                .statusCode(400)
                .body("detail", equalTo("Unknown field 'clientId'."));
        put(admin, "AAAAAAAAAAAAAAAAAAAAAA", change).then().statusCode(404).contentType("application/problem+json");
        put(admin, "not-an-id", change).then().statusCode(404);
        // a public client keeps its rule too: no client_credentials
        String browserId = created(admin, browser("Browser")).getString("clientId");
        Map<String, Object> widen = browser("Browser");
        widen.remove("type");
        widen.put("grantTypes", List.of("authorization_code", "client_credentials"));
        put(admin, browserId, widen)
                .then()
                .statusCode(400)
                .body("errors.field", equalTo(List.of("grantTypes")))
                .body("errors.message", hasItem("a public client cannot use client_credentials."));
    }

    @Test
    void aDeletedClientNoLongerAuthenticates() {
        Registered client = registered("Short-lived");
        String admin = client.admin();
        String id = client.id();
        String secret = client.secret();

        given().auth().oauth2(admin).delete(CLIENTS + "/" + id).then().statusCode(204);
        token(id, secret, null).then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth()
                .oauth2(admin)
                .get(CLIENTS + "/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .delete(CLIENTS + "/" + id)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertEquals(0L, Api.count("SELECT count(*) FROM oauth_clients WHERE client_id = ?", id));
    }

    @Test
    void badBodiesAre400WithTheFieldsNamed() {
        String admin = Api.newAdminToken();
        List<Map.Entry<String, Map<String, Object>>> cases = List.of(
                Map.entry("name", with(machine(""), "name", "")),
                Map.entry("name", with(machine("x"), "name", "x".repeat(201))),
                Map.entry("name", with(machine("x"), "name", "tab\there")),
                Map.entry("type", with(machine("x"), "type", null)),
                Map.entry("type", with(machine("x"), "type", "secret")),
                Map.entry("grantTypes", with(machine("x"), "grantTypes", List.of())),
                Map.entry("grantTypes[0]", with(machine("x"), "grantTypes", List.of("password"))),
                Map.entry("grantTypes", with(browser("x"), "grantTypes", List.of("client_credentials"))),
                Map.entry("redirectUris", with(browser("x"), "redirectUris", List.of())),
                Map.entry("redirectUris[0]", with(browser("x"), "redirectUris", List.of("http://app.example.com/cb"))),
                Map.entry("redirectUris[0]", with(browser("x"), "redirectUris", List.of("https://app.example.com/#x"))),
                Map.entry("redirectUris[0]", with(browser("x"), "redirectUris", List.of("https://*.example.com/cb"))),
                Map.entry("redirectUris[0]", with(browser("x"), "redirectUris", List.of("/callback"))),
                Map.entry("redirectUris[0]", with(browser("x"), "redirectUris", List.of("com.example.app:/cb"))),
                Map.entry(
                        "redirectUris[1]",
                        with(browser("x"), "redirectUris", List.of("https://a.example/cb", "http://a.localhost/cb"))),
                Map.entry(
                        "postLogoutRedirectUris[0]",
                        with(browser("x"), "postLogoutRedirectUris", List.of("http://evil.example/"))),
                Map.entry(
                        "backchannelLogoutUri",
                        with(browser("x"), "backchannelLogoutUri", "https://user:pw@app.example.com/")),
                Map.entry("scopes[0]", with(machine("x"), "scopes", List.of("two words"))),
                Map.entry("scopes[1]", with(machine("x"), "scopes", List.of("ok", "quo\"te"))),
                Map.entry("scopes", with(machine("x"), "scopes", List.of("tokens:introspect", "sessions:issue"))),
                Map.entry(
                        "scopes",
                        with(
                                machine("x"),
                                "scopes",
                                IntStream.range(0, 51).mapToObj(i -> "s" + i).toList())));
        cases.forEach(c -> create(admin, c.getValue())
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of(c.getKey()))));
        create(admin, with(machine("x"), "redirectUri", "https://app.example.com/cb"))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("Unknown field 'redirectUri'."));
        create(admin, "{\"name\":").then().statusCode(400).contentType("application/problem+json");
        // nothing was stored by any of them
        assertEquals(0L, Api.count("SELECT count(*) FROM oauth_clients WHERE name = 'x'"));
        // 50 scopes and loopback http are fine
        Map<String, Object> wide = with(
                browser("wide"),
                "scopes",
                IntStream.range(0, 50).mapToObj(i -> "s" + i).toList());
        wide.put("redirectUris", List.of("http://localhost/cb", "http://127.0.0.1:9000/cb", "http://[::1]/cb"));
        created(admin, wide);
    }

    @Test
    void onlyAnAdminWithTheAdminScopeManagesClients() {
        String admin = Api.newAdminToken();
        String id = created(admin, machine("Guarded")).getString("clientId");
        String user = Api.newUserToken();
        String readOnly = Api.pat(admin, List.of("attachments:read"));
        for (String token : new String[] {null, user, readOnly}) {
            int status = token == null ? 401 : 403;
            var spec = token == null ? given() : given().auth().oauth2(token);
            spec.get(CLIENTS).then().statusCode(status).contentType("application/problem+json");
            spec = token == null ? given() : given().auth().oauth2(token);
            spec.get(CLIENTS + "/" + id).then().statusCode(status);
            spec = token == null ? given() : given().auth().oauth2(token);
            spec.contentType(ContentType.JSON)
                    .body(machine("Intruder"))
                    .post(CLIENTS)
                    .then()
                    .statusCode(status)
                    .contentType("application/problem+json");
            spec = token == null ? given() : given().auth().oauth2(token);
            spec.contentType(ContentType.JSON)
                    .body(machine("Intruder"))
                    .put(CLIENTS + "/" + id)
                    .then()
                    .statusCode(status);
            spec = token == null ? given() : given().auth().oauth2(token);
            spec.post(CLIENTS + "/" + id + "/secret").then().statusCode(status);
            spec = token == null ? given() : given().auth().oauth2(token);
            spec.delete(CLIENTS + "/" + id).then().statusCode(status);
        }
        given().auth()
                .oauth2(readOnly)
                .get(CLIENTS)
                .then()
                .header("WWW-Authenticate", containsString("insufficient_scope"));
        // a client's own token is no ADMIN either
        String client = Api.clientToken("latch-dev", "latch-dev-secret", null);
        given().auth().oauth2(client).get(CLIENTS).then().statusCode(403);
        assertEquals(0L, Api.count("SELECT count(*) FROM oauth_clients WHERE name = 'Intruder'"));
        given().auth()
                .oauth2(admin)
                .get(CLIENTS + "/" + id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Guarded"));

        given().auth()
                .oauth2(Api.pat(admin, List.of("admin")))
                .get(CLIENTS + "/" + id)
                .then()
                .statusCode(200);
    }

    @Test
    void theListPagesByClientId() {
        String admin = Api.newAdminToken();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(created(admin, machine("Paged " + i)).getString("clientId"));
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            var spec = given().auth().oauth2(admin).queryParam("pageSize", 2);
            if (next != null) {
                spec.queryParam("pageToken", next);
            }
            JsonPath page = spec.get(CLIENTS)
                    .then()
                    .statusCode(200)
                    .body("items.size()", org.hamcrest.Matchers.lessThanOrEqualTo(2))
                    .body("items", everyItem(not(hasKey("clientSecret"))))
                    .extract()
                    .jsonPath();
            seen.addAll(page.getList("items.clientId"));
            next = page.getString("nextPageToken");
        } while (next != null);
        assertTrue(seen.containsAll(ids), seen.toString());
        assertEquals(seen.stream().distinct().sorted().toList(), seen);
        given().auth()
                .oauth2(admin)
                .queryParam("pageSize", 0)
                .get(CLIENTS)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .queryParam("pageToken", "bm90IGFuIGlk")
                .get(CLIENTS)
                .then()
                .statusCode(400)
                .body("detail", equalTo("pageToken is not valid."));
    }

    @Test
    void everyChangeIsAudited() {
        String adminName = Api.uniqueName("clients-admin");
        String admin = Api.adminToken(adminName);
        String id = created(admin, machine("Audited")).getString("clientId");
        put(admin, id, with(machine("Audited again"), "type", null)).then().statusCode(200);
        rotate(admin, id).then().statusCode(200);
        given().auth().oauth2(admin).delete(CLIENTS + "/" + id).then().statusCode(204);

        List<Map<String, Object>> events = given().auth()
                .oauth2(admin)
                .queryParam("actor", adminName)
                .get("/v1/audit-events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        List<Map<String, Object>> clientEvents = events.stream()
                .filter(e -> e.get("type").toString().startsWith("auth.oauth_client."))
                .toList();
        assertEquals(
                List.of(
                        "auth.oauth_client.deleted",
                        "auth.oauth_client.secret_rotated",
                        "auth.oauth_client.updated",
                        "auth.oauth_client.created"),
                clientEvents.stream().map(e -> e.get("type")).toList());
        for (Map<String, Object> e : clientEvents) {
            assertEquals(adminName, e.get("actor"));
            assertEquals(
                    Map.of(
                            "client_id",
                            id,
                            "name",
                            e.get("type").equals("auth.oauth_client.created") ? "Audited" : "Audited again"),
                    e.get("metadata"));
        }
    }

    private static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        body.put(field, value);
        return body;
    }
}
