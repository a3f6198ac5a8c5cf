package dev.latch.auth.oauth2.authorize;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.auth.oauth2.CodeFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The caller's remembered consents at /v1/users/me/consents: listed, withdrawn (then asked again), 404 for none. */
@QuarkusTest
class UserConsentTest {

    private static final String CONSENTS = "/v1/users/me/consents";
    private static final String SPA = "latch-dev-spa";
    private static final Pattern REQUEST_FIELD = Pattern.compile("name=\"request\" value=\"([^\"]+)\"");

    /** The SPA's authorization request answered by the consent page, allowed. */
    private static void allowSpa(CodeFlow browser, String username) {
        CodeFlow.Request request = CodeFlow.Request.of(SPA, CodeFlow.WEB_REDIRECT, "openid profile");
        Response r = browser.authorize(request, null);
        Response page = r.header("Location") != null && r.header("Location").contains("/login?request=")
                ? browser.login(r.header("Location"), username)
                : r;
        page.then().statusCode(200);
        String html = page.asString();
        Matcher m = REQUEST_FIELD.matcher(html);
        assertTrue(m.find(), "the consent page carries its request");
        browser.keep(browser.browser()
                        .contentType(ContentType.URLENC)
                        .formParam("csrf", CodeFlow.csrfField(html))
                        .formParam("request", m.group(1))
                        .formParam("decision", "allow")
                        .post("/oauth2/consent"))
                .then()
                .statusCode(303)
                .header("Location", startsWith(CodeFlow.WEB_REDIRECT + "?code="));
    }

    @Test
    void aRememberedConsentIsListedAndWithdrawnOnce() {
        String username = CodeFlow.newUser(null, null);
        CodeFlow browser = new CodeFlow();
        allowSpa(browser, username);
        String token = Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");

        given().auth()
                .oauth2(token)
                .get(CONSENTS)
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].clientId", equalTo(SPA))
                .body("items[0].clientName", equalTo("Latch dev single-page app"))
                .body("items[0].scopes", equalTo(List.of("openid", "profile")))
                .body("items[0].grantedAt", notNullValue())
                .body("nextPageToken", nullValue());

        // remembered: the next request goes straight back with a code
        Response again = browser.authorize(CodeFlow.Request.of(SPA, CodeFlow.WEB_REDIRECT, "openid"), null);
        assertEquals(302, again.statusCode());
        assertTrue(again.header("Location").startsWith(CodeFlow.WEB_REDIRECT + "?code="));

        given().auth().oauth2(token).delete(CONSENTS + "/" + SPA).then().statusCode(204);

        given().auth().oauth2(token).get(CONSENTS).then().statusCode(200).body("items", empty());
        given().auth()
                .oauth2(token)
                .delete(CONSENTS + "/" + SPA)
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        // withdrawn: the consent page is shown again
        browser.authorize(CodeFlow.Request.of(SPA, CodeFlow.WEB_REDIRECT, "openid"), null)
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("name=\"decision\" value=\"allow\""));
    }

    @Test
    void consentsAreTheCallersOwnAndNotForPatsOrAnonymousCallers() {
        String username = CodeFlow.newUser(null, null);
        allowSpa(new CodeFlow(), username);
        String other = Api.newUserToken();

        given().auth().oauth2(other).get(CONSENTS).then().statusCode(200).body("items", empty());
        given().auth().oauth2(other).delete(CONSENTS + "/" + SPA).then().statusCode(404);
        given().auth().oauth2(other).delete(CONSENTS + "/unknown-client").then().statusCode(404);

        String token = Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        String pat = Api.pat(token, List.of("profile:read"));
        given().auth().oauth2(pat).get(CONSENTS).then().statusCode(403);
        given().auth().oauth2(pat).delete(CONSENTS + "/" + SPA).then().statusCode(403);
        given().get(CONSENTS)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""));
        given().auth().oauth2(token).get(CONSENTS).then().statusCode(200).body("items", hasSize(1));
    }
}
