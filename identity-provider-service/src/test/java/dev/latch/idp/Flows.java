package dev.latch.idp;

import static io.restassured.RestAssured.given;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.MockOidcServerResource;
import dev.latch.common.testing.SecretLedger;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/** Helpers for the broker's tests: providers through the admin API, and the browser's side of a login. */
public final class Flows {

    private Flows() {}

    public static String adminToken() {
        return AuthServerStub.userToken("idp-admin", "ADMIN");
    }

    public static String uniqueId(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    public static String mockIssuer() {
        return MockOidcServerResource.server()
                .issuerUrl(MockOidcServerResource.ISSUER_ID)
                .toString();
    }

    /** An oidc provider at the in-process OIDC server. */
    public static String createOidcProvider(Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>();
        body.put("id", uniqueId("oidc"));
        body.put("kind", "oidc");
        body.put("title", "Mock OIDC");
        body.put("clientId", "latch-client");
        body.put("clientSecret", "latch-client-secret");
        SecretLedger.record("provider client secret", "latch-client-secret");
        body.put("issuer", mockIssuer());
        body.putAll(overrides);
        return given().auth()
                .oauth2(adminToken())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    public record Started(
            String location, String state, String nonce, String bindingCookie, Map<String, String> query) {}

    public static Response start(String provider, String redirectTo) {
        return given().redirects()
                .follow(false)
                .queryParam("redirect_to", redirectTo)
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

    /**
     * A whole browser login at the in-process OIDC server, whose ID token for {@code subject} carries
     * {@code claims}: the callback's answer.
     */
    public static Response loginAtMock(String provider, String subject, Map<String, Object> claims) {
        Started started = started(provider, "/app");
        String code = codeAtMock(started.location(), subject, claims);
        return callback(provider, Map.of("code", code, "state", started.state()), started.bindingCookie());
    }

    /** Like {@link #loginAtMock}, expecting success: the body the broker sent to auth-service. */
    public static Map<String, Object> federatedLoginAtMock(
            String provider, String subject, Map<String, Object> claims) {
        int before = AuthServerStub.federatedRequests().size();
        loginAtMock(provider, subject, claims).then().statusCode(307).header("Location", "/app");
        return AuthServerStub.federatedRequests().get(before);
    }

    /** The browser at the provider: it follows the authorization URL and gets a code back. */
    public static String codeAtMock(String authorizationUrl, String subject, Map<String, Object> claims) {
        MockOidcServerResource.server()
                .enqueueCallback(new DefaultOAuth2TokenCallback(
                        MockOidcServerResource.ISSUER_ID, subject, "JWT", List.of("latch-client"), claims, 3600));
        try {
            HttpResponse<String> atProvider = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(authorizationUrl)).build(),
                            HttpResponse.BodyHandlers.ofString());
            String code = query(URI.create(
                                    atProvider.headers().firstValue("Location").orElseThrow())
                            .getRawQuery())
                    .get("code");
            SecretLedger.record("authorization code", code);
            return code;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A code an SPA got for itself at the in-process OIDC server, with the PKCE challenge of {@code verifier} (or none). */
    public static String spaCodeAtMock(
            String redirectUri, String verifier, String subject, Map<String, Object> claims) {
        String authorize = MockOidcServerResource.server().authorizationEndpointUrl(MockOidcServerResource.ISSUER_ID)
                + "?response_type=code&client_id=latch-client&scope=openid&state=spa-state&redirect_uri="
                + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8);
        if (verifier != null) {
            String challenge = dev.latch.common.security.SecureTokens.base64Url(
                    dev.latch.common.security.SecureTokens.sha256(verifier));
            authorize += "&code_challenge=" + challenge + "&code_challenge_method=S256";
        }
        return codeAtMock(authorize, subject, claims);
    }

    public static Map<String, String> query(String rawQuery) {
        Map<String, String> q = new HashMap<>();
        if (rawQuery == null) {
            return q;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            q.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }
}
