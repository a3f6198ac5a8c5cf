package dev.latch.idp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.HostileInput;
import dev.latch.common.testing.RowCounts;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every operation of the broker's OpenAPI document (see {@link HostileInput}), as a user,
 * an ADMIN and a PAT, against real providers at the in-process OIDC server: a 4xx problem+json or a
 * documented success (the redirects of /start and /callback) every time, never a 5xx or an internal detail,
 * and no row written by a refused request.
 */
@QuarkusTest
class HostileInputTest {

    private static final Logger LOG = Logger.getLogger(HostileInputTest.class);

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyOperationRefusesHostileInputWithAProblemAndWritesNothing() throws Exception {
        String flowProvider = Flows.createOidcProvider(Map.of());
        String adminProvider = Flows.createOidcProvider(Map.of());
        String userId = UUID.randomUUID().toString();
        String user = AuthServerStub.userToken(userId, "hostile-user", "USER");
        String pat = AuthServerStub.pat(userId, "hostile-user", "USER", "");
        try (RowCounts rows = new RowCounts("latch_idp_test", Set.of())) {
            HostileInput.Report report = HostileInput.against("identity-provider-service", base)
                    .context("user", "Authorization: Bearer " + user)
                    .context("admin", "Authorization: Bearer " + Flows.adminToken())
                    .context("pat", "Authorization: Bearer " + pat)
                    .value("provider", flowProvider)
                    .value("/v1/identity-providers/admin/{id}", "id", adminProvider)
                    // a new provider id per probe, so that each reaches validation instead of 409 for the id taken
                    .value("/v1/identity-providers/admin", "id", HostileInput.UNIQUE)
                    .value("redirect_to", "/app")
                    .value("issuer", Flows.mockIssuer())
                    .value("kind", "oidc")
                    .rowCounts(rows)
                    .log(LOG::info)
                    .run();
            LOG.info(report);
            assertTrue(report.findings().isEmpty(), report.toString());
        }
    }
}
