package dev.latch.idp;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.common.testing.ParallelStatuses;
import dev.latch.common.testing.PrivatePostgres;
import dev.latch.common.testing.PrivatePostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The broker's PostgreSQL (providers) really restarted (fast, then immediate) while its pool holds idle
 * connections: the first requests after the restart — an ADMIN reading providers with a valid token,
 * a browser starting a login — are answered correctly, never with a connection the restart broke.
 */
@QuarkusTest
@TestProfile(PostgresRestartTest.OwnPostgres.class)
class PostgresRestartTest {

    private static final int PARALLEL = 8;

    public static class OwnPostgres implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivatePostgresResource.class, Map.of("database", "latch_idp_test")));
        }
    }

    @Test
    void firstRequestsAfterARestartAreAnsweredCorrectly() throws Exception {
        PrivatePostgres pg = PrivatePostgresResource.server();
        String provider = Flows.createOidcProvider(Map.of());
        String admin = Flows.adminToken();
        // several requests at once: the pool keeps several connections, all idle when PostgreSQL goes away
        assertEquals(
                Map.of(200, PARALLEL),
                parallel(i -> given().auth()
                        .oauth2(admin)
                        .get("/v1/identity-providers/admin/" + provider)
                        .statusCode()));

        Map<String, Object> figures = new TreeMap<>();
        for (PrivatePostgres.StopMode mode : PrivatePostgres.StopMode.values()) {
            pg.restart(mode);
            Map<Integer, Integer> first = parallel(i -> i % 2 == 0
                    ? given().auth()
                            .oauth2(admin)
                            .get("/v1/identity-providers/admin/" + provider)
                            .statusCode()
                    : Flows.start(provider, "/app").statusCode());
            figures.put(mode + ": first " + PARALLEL + " requests", first);
            assertEquals(
                    Map.of(200, PARALLEL / 2, 307, PARALLEL / 2),
                    first,
                    "the first requests after a " + mode + " restart");
        }
        Flows.loginAtMock(provider, "after-restarts", Map.of())
                .then()
                .statusCode(307)
                .header("Location", "/app");
        given().get("/q/health/ready").then().statusCode(200);
        System.out.println("broker after PostgreSQL restarts: " + figures);
    }

    /** {@link #PARALLEL} requests at once: how many answered each status. */
    private static Map<Integer, Integer> parallel(ParallelStatuses.Call call) throws Exception {
        return ParallelStatuses.of(PARALLEL, call);
    }
}
