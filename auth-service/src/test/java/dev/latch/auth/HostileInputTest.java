package dev.latch.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.HostileInput;
import dev.latch.common.testing.RowCounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every operation of auth-service's OpenAPI document (see {@link HostileInput}), as a user,
 * an ADMIN, a PAT, the dev OAuth2 client and the broker's client: a 4xx problem+json or a documented
 * success every time, never a 500 or an internal detail, and no row written by a refused request.
 */
@QuarkusTest
class HostileInputTest {

    private static final Logger LOG = Logger.getLogger(HostileInputTest.class);

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyOperationRefusesHostileInputWithAProblemAndWritesNothing() throws Exception {
        String user = Api.newUserToken();
        String admin = Api.newAdminToken();
        String pat = given().auth()
                .oauth2(user)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "hostile", "scopes", List.of()))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        String broker = Api.clientToken("latch-idp", "latch-idp-secret", "sessions:issue");
        String target = (String) Api.signUp(Api.uniqueName("target")).get("id");
        String client = Base64.getEncoder().encodeToString("latch-dev:latch-dev-secret".getBytes());
        try (RowCounts rows = new RowCounts(Api.DATABASE, Set.of())) {
            HostileInput.Report report = HostileInput.against("auth-service", base)
                    .context("user", "Authorization: Bearer " + user)
                    .context("admin", "Authorization: Bearer " + admin)
                    .context("pat", "Authorization: Bearer " + pat)
                    .context("client", "Authorization: Basic " + client)
                    .context("broker", "Authorization: Bearer " + broker)
                    .value("/v1/users/{id}", "id", target)
                    .value("grant_type", "client_credentials")
                    // a rotation per accepted probe would pile up signing keys: probed as a user (403), its input is
                    // only headers
                    .pin("POST /v1/auth/keys/rotate", "user")
                    .rowCounts(rows)
                    // a failed sign-in is audited by design (auth.signin.failed), also when it is rate-limited
                    .writesAllowed((operation, status) ->
                            operation.equals("POST /v1/auth/signin") && (status == 401 || status == 429))
                    .log(LOG::info)
                    .run();
            LOG.info(report);
            assertTrue(report.findings().isEmpty(), report.toString());
        }
    }
}
