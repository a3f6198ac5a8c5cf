package dev.latch.common.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.response.Response;
import java.util.List;

/** Checks that every kind of answer of a running service carries the headers common adds to all. */
public final class ResponseHeaders {

    private ResponseHeaders() {
    }

    /** Health, metrics, OpenAPI, an unknown path (404) and the given paths: exactly one {@code nosniff} each. */
    public static void assertNoSniffEverywhere(String... morePaths) {
        List<String> paths = new java.util.ArrayList<>(List.of("/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi",
                "/no-such-path-" + System.nanoTime()));
        paths.addAll(List.of(morePaths));
        for (String path : paths) {
            Response r = given().get(path);
            assertEquals(List.of("nosniff"), r.headers().getValues("X-Content-Type-Options"),
                    "X-Content-Type-Options of GET " + path + " (" + r.statusCode() + ")");
        }
    }
}
