package dev.latch.idp.flow;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.security.OpenRedirectCorpus;
import dev.latch.common.testing.RedisProbe;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
class StateTest {

    static List<String> payloads() {
        return OpenRedirectCorpus.PAYLOADS;
    }

    @Test
    void stateLivesInRedisForAtMostTenMinutes() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.Started started = Flows.started(provider, "/app");
        long ttl = RedisProbe.ttl("latch:oauth:state:" + started.state());
        assertTrue(ttl > 0 && ttl <= 600, "ttl " + ttl);
    }

    @Test
    void unknownMissingReplayedForeignAndUnboundStatesAre400() {
        String provider = Flows.createOidcProvider(Map.of());
        String other = Flows.createOidcProvider(Map.of());

        Flows.callback(provider, Map.of("code", "c", "state", "unknown-state"), "x")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        Flows.callback(provider, Map.of("code", "c"), "x").then().statusCode(400);

        Flows.Started forOther = Flows.started(provider, "/app");
        Flows.callback(other, Map.of("code", "c", "state", forOther.state()), forOther.bindingCookie())
                .then()
                .statusCode(400);

        Flows.Started noCookie = Flows.started(provider, "/app");
        Flows.callback(provider, Map.of("error", "access_denied", "state", noCookie.state()), null)
                .then()
                .statusCode(400);

        Flows.Started wrongCookie = Flows.started(provider, "/app");
        Flows.Started mine = Flows.started(provider, "/app");
        Flows.callback(provider, Map.of("error", "access_denied", "state", wrongCookie.state()), mine.bindingCookie())
                .then()
                .statusCode(400);

        Flows.Started once = Flows.started(provider, "/app");
        Flows.callback(provider, Map.of("error", "access_denied", "state", once.state()), once.bindingCookie())
                .then()
                .statusCode(307);
        Flows.callback(provider, Map.of("error", "access_denied", "state", once.state()), once.bindingCookie())
                .then()
                .statusCode(400);
    }

    @Test
    void loginsStartedInParallelInOneBrowserEachComplete() {
        String provider = Flows.createOidcProvider(Map.of());
        // six tabs of one browser start a login each: every start sees the cookie the previous one set
        String cookie = null;
        List<String> states = new ArrayList<>();
        for (int tab = 0; tab < 6; tab++) {
            var spec = given().redirects().follow(false).queryParam("redirect_to", "/tab" + tab);
            if (cookie != null) {
                spec.cookie("latch_oauth", cookie);
            }
            Response r = spec.get("/v1/auth/oauth/" + provider + "/start");
            r.then().statusCode(307);
            cookie = r.getCookie("latch_oauth");
            states.add(Flows.query(URI.create(r.getHeader("Location")).getRawQuery())
                    .get("state"));
        }
        // at most five logins are bound at once: the oldest is dropped
        Flows.callback(provider, Map.of("error", "access_denied", "state", states.get(0)), cookie)
                .then()
                .statusCode(400);
        // the others complete in any order, each removing only its own binding
        Response last = null;
        for (int tab : new int[] {3, 1, 5, 2, 4}) {
            last = Flows.callback(provider, Map.of("error", "access_denied", "state", states.get(tab)), cookie);
            last.then().statusCode(307).header("Location", "/tab" + tab + "?oauth_error=access_denied");
            cookie = last.getCookie("latch_oauth");
        }
        assertEquals(0, last.getDetailedCookie("latch_oauth").getMaxAge(), "no login left: the cookie is removed");
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void openRedirectPayloadsAreRefusedAtStart(String payload) {
        String provider = sharedProvider();
        Flows.start(provider, payload).then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void unknownOrUnconfiguredProviderIs404() {
        Flows.start("no-such-provider", "/app").then().statusCode(404).contentType("application/problem+json");
        String unconfigured = Flows.createOidcProvider(Map.of("clientId", ""));
        Flows.start(unconfigured, "/app").then().statusCode(404);
        Flows.callback(unconfigured, Map.of("code", "c", "state", "s"), "x")
                .then()
                .statusCode(404);
        io.restassured.RestAssured.given()
                .contentType("application/json")
                .body(Map.of("code", "c", "redirectUri", "https://app.example/cb"))
                .post("/v1/auth/oauth/" + unconfigured + "/token")
                .then()
                .statusCode(404);
        String disabled = Flows.createOidcProvider(Map.of("enabled", false));
        Flows.start(disabled, "/app").then().statusCode(404);
    }

    private static String shared;

    private static synchronized String sharedProvider() {
        if (shared == null) {
            shared = Flows.createOidcProvider(Map.of());
        }
        return shared;
    }
}
