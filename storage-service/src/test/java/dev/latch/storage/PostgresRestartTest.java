package dev.latch.storage;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.common.testing.ParallelStatuses;
import dev.latch.common.testing.PrivatePostgres;
import dev.latch.common.testing.PrivatePostgresResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * storage-service's PostgreSQL really restarted (fast, then immediate) while its pool holds idle
 * connections: the first requests with a valid token after the restart are answered correctly — a
 * connection the restart broke is validated away, never handed to a request (it used to answer 500,
 * then 503, for every stale pooled connection).
 */
@QuarkusTest
@TestProfile(PostgresRestartTest.OwnPostgres.class)
class PostgresRestartTest {

    private static final int PARALLEL = 8;

    public static class OwnPostgres implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(PrivatePostgresResource.class, Map.of("database", "latch_storage_test")));
        }
    }

    @Test
    void firstRequestsAfterARestartAreAnsweredCorrectly() throws Exception {
        PrivatePostgres pg = PrivatePostgresResource.server();
        Api.User user = Api.newUser();
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            uids.add(Api.uploadRaw(
                            user.token(),
                            "note" + i + ".txt",
                            ("note " + i).getBytes(StandardCharsets.UTF_8),
                            "text/plain")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("uid"));
        }
        // several requests at once: the pool keeps several connections, all idle when PostgreSQL goes away
        assertEquals(
                Map.of(200, PARALLEL),
                parallel(i -> given().auth()
                        .oauth2(user.token())
                        .get("/api/v1/attachments")
                        .statusCode()));

        Map<String, Object> figures = new TreeMap<>();
        for (PrivatePostgres.StopMode mode : PrivatePostgres.StopMode.values()) {
            pg.restart(mode);
            Map<Integer, Integer> first = parallel(i -> i % 2 == 0
                    ? given().auth()
                            .oauth2(user.token())
                            .get("/api/v1/attachments")
                            .statusCode()
                    : given().auth()
                            .oauth2(user.token())
                            .get("/api/v1/attachments/" + uids.get(i % uids.size()))
                            .statusCode());
            figures.put(mode + ": first " + PARALLEL + " requests", first);
            assertEquals(Map.of(200, PARALLEL), first, "the first requests after a " + mode + " restart");
            String url = given().auth()
                    .oauth2(user.token())
                    .get("/api/v1/attachments/" + uids.get(0))
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("url");
            assertArrayEquals(
                    "note 0".getBytes(StandardCharsets.UTF_8), Api.download(url).body());
        }
        given().get("/q/health/ready").then().statusCode(200);
        System.out.println("storage-service after PostgreSQL restarts: " + figures);
    }

    /** {@link #PARALLEL} requests at once: how many answered each status. */
    private static Map<Integer, Integer> parallel(ParallelStatuses.Call call) throws Exception {
        return ParallelStatuses.of(PARALLEL, call);
    }
}
