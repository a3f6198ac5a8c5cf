package dev.latch.auth.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** With sign-up off, the first ADMIN comes from configuration, created at start; nobody is ever promoted by it. */
@QuarkusTest
@TestProfile(SignUpDisabledTest.Disabled.class)
class BootstrapAdminTest {

    static final String USERNAME = "root-admin";
    static final String PASSWORD = "bootstrap admin password";

    @Inject
    UserService users;

    @Test
    void theConfiguredAdminExistsAndCanAdminister() {
        String token = Api.signIn(USERNAME, PASSWORD)
                .then()
                .statusCode(200)
                .body("user.role", equalTo("ADMIN"))
                .extract()
                .path("accessToken");
        given().auth().oauth2(token).get("/v1/audit-events").then().statusCode(200);

        // a second start (another replica) finds the ADMIN and creates nothing
        assertEquals(UserService.Bootstrap.ADMIN_EXISTS, users.bootstrapAdmin("another-admin", PASSWORD));
        assertEquals(1L, Api.count("SELECT count(*) FROM users WHERE role = 'ADMIN'"));
    }

    @Test
    void anExistingUserIsNeverPromoted() {
        Api.sql("UPDATE users SET role = 'USER' WHERE username = ?", USERNAME);
        try {
            assertEquals(UserService.Bootstrap.NAME_TAKEN, users.bootstrapAdmin(USERNAME, PASSWORD));
            assertEquals("USER", Api.single("SELECT role FROM users WHERE username = ?", USERNAME));
        } finally {
            Api.sql("UPDATE users SET role = 'ADMIN' WHERE username = ?", USERNAME);
        }
    }

    @Test
    void aConfiguredAdminBreakingTheSignUpRulesStopsTheStart() {
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> users.bootstrapAdmin("No Spaces!", "short"));
        assertEquals(
                "Bootstrap ADMIN: password must be 8 to 1024 characters. "
                        + "username must be 3 to 32 of a-z, 0-9, '.', '_' and '-'.",
                refused.getMessage());
    }
}
