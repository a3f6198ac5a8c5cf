package dev.latch.idp;

import static io.restassured.RestAssured.given;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.MockOidcServerResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Helpers for the broker's tests: providers through the admin API, and the browser's side of a login. */
public final class Flows {

    private Flows() {
    }

    public static String adminToken() {
        return AuthServerStub.userToken("idp-admin", "ADMIN");
    }

    public static String uniqueId(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    public static String mockIssuer() {
        return MockOidcServerResource.server().issuerUrl(MockOidcServerResource.ISSUER_ID).toString();
    }

    /** An oidc provider at the in-process OIDC server. */
    public static String createOidcProvider(Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", uniqueId("oidc"));
        body.put("kind", "oidc");
        body.put("title", "Mock OIDC");
        body.put("clientId", "latch-client");
        body.put("clientSecret", "latch-client-secret");
        body.put("issuer", mockIssuer());
        body.putAll(overrides);
        return given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(body)
                .post("/v1/identity-providers/admin").then().statusCode(201).extract().path("id");
    }

    public record Started(String location, String state, String nonce, String bindingCookie, Map<String, String> query) {
    }

    public static Response start(String provider, String redirectTo) {
        return given().redirects().follow(false).queryParam("redirect_to", redirectTo)
                .get("/v1/auth/oauth/" + provider + "/start");
    }

    public static Started started(String provider, String redirectTo) {
        Response r = start(provider, redirectTo);
        r.then().statusCode(307);
        String location = r.getHeader("Location");
        Map<String, String> q = query(URI.create(location).getRawQuery());
        return new Started(location, q.get("state"), q.get("nonce"), r.getCookie("latch_oauth"), q);
    }

    public static Response callback(String provider, Map<String, String> params, String bindingCookie) {
        var spec = given().redirects().follow(false);
        if (bindingCookie != null) {
            spec.cookie("latch_oauth", bindingCookie);
        }
        params.forEach(spec::queryParam);
        return spec.get("/v1/auth/oauth/" + provider + "/callback");
    }

    public static Map<String, String> query(String rawQuery) {
        Map<String, String> q = new HashMap<>();
        if (rawQuery == null) {
            return q;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }
}
