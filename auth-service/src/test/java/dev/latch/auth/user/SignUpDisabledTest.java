package dev.latch.auth.user;

import static io.restassured.RestAssured.given;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SignUpDisabledTest.Disabled.class)
public class SignUpDisabledTest {

    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latch.auth.signup.enabled",
                    "false",
                    "latch.auth.bootstrap-admin.username",
                    BootstrapAdminTest.USERNAME,
                    "latch.auth.bootstrap-admin.password",
                    BootstrapAdminTest.PASSWORD);
        }
    }

    @Test
    void signUpAnswers403() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", Api.uniqueName("nope"), "password", Api.PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }
}
