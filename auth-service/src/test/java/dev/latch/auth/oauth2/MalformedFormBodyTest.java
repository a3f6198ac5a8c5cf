package dev.latch.auth.oauth2;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A form body that cannot be decoded is the client's error on every OAuth2 endpoint: 400 problem+json, never 500. */
@QuarkusTest
class MalformedFormBodyTest {

    @Test
    void brokenEscapesAndEmptyNamesAre400() {
        for (String body :
                new String[] {"token=%", "token=%zz", "%", "=&=&", "grant_type=client_credentials&scope=%G1"}) {
            for (String path : new String[] {"/oauth2/introspect", "/oauth2/token", "/oauth2/revoke"}) {
                given().auth()
                        .preemptive()
                        .basic("latch-dev", "latch-dev-secret")
                        .contentType("application/x-www-form-urlencoded")
                        .body(body)
                        .post(path)
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("status", equalTo(400))
                        .body("detail", not(containsString("URLDecoder")));
            }
        }
    }
}
