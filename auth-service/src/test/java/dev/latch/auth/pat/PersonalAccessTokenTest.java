package dev.latch.auth.pat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.auth.token.TokenVerificationTest;
import dev.latch.common.security.PersonalAccessTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PersonalAccessTokenTest {

    @Test
    void createUseListRevoke() {
        String access = Api.newUserToken();
        var created = given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ci", "scopes", List.of("attachments:read"), "expiresInDays", 30))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .body("name", equalTo("ci"))
                .body("scopes", hasItem("attachments:read"))
                .body("expiresAt", notNullValue())
                .body("createdAt", notNullValue())
                .extract()
                .jsonPath();
        String pat = created.getString("token");
        String id = created.getString("id");
        assertTrue(pat.matches("latch_pat_[0-9A-Za-z]{38}"), pat);
        assertTrue(PersonalAccessTokens.isWellFormed(pat));

        given().auth().oauth2(pat).get("/v1/users/me").then().statusCode(200);
        given().auth()
                .oauth2(access)
                .get("/v1/users/me/tokens")
                .then()
                .statusCode(200)
                .body("items[0].id", equalTo(id))
                .body("items[0]", not(hasKey("token")))
                .body("items[0].lastUsedAt", notNullValue());

        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", pat)
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .body("active", equalTo(true))
                .body("scope", equalTo("attachments:read"));

        given().auth().oauth2(access).delete("/v1/users/me/tokens/" + id).then().statusCode(204);
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", pat)
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .body("active", equalTo(false));
        given().auth().oauth2(pat).get("/v1/users/me").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(access).delete("/v1/users/me/tokens/" + id).then().statusCode(404);
    }

    @Test
    void malformedOrBadChecksumPatIsRefused() {
        String access = Api.newUserToken();
        String pat = given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x"))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        char last = pat.charAt(pat.length() - 1);
        String badChecksum = pat.substring(0, pat.length() - 1) + (last == 'a' ? 'b' : 'a');
        TokenVerificationTest.refused(badChecksum);
        TokenVerificationTest.refused("latch_pat_short");
        TokenVerificationTest.refused("latch_pat_" + "0".repeat(38));
    }

    @Test
    void badInputIs400() {
        String access = Api.newUserToken();
        given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", ""))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "n", "expiresInDays", 0))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "n", "scopes", List.of("bad scope")))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(400);
    }

    @Test
    void eachRefusedFieldOfTheBodyIsNamed() {
        given().auth()
                .oauth2(Api.newUserToken())
                .contentType(ContentType.JSON)
                .body(Map.of("name", " ", "expiresInDays", 3651))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("expiresInDays", "name"))
                .body("errors.message", hasItem("expiresInDays must be between 1 and 3650."));
    }
}
