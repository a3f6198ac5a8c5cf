package dev.latch.common.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;

/** Checks that every kind of answer of a running service carries the headers common adds to all. */
public final class ResponseHeaders {

    /** What common's SecurityHeaders sends over TLS. */
    public static final String HSTS = "max-age=31536000";

    private ResponseHeaders() {}

    /**
     * Health, metrics, OpenAPI, an unknown path (404) and the given paths, over plain HTTP: exactly one
     * {@code nosniff}, one {@code Referrer-Policy: no-referrer}, one {@code Cache-Control} and no HSTS each.
     */
    public static void assertSecurityHeadersEverywhere(String... morePaths) {
        List<String> paths = new ArrayList<>(List.of(
                "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi", "/no-such-path-" + System.nanoTime()));
        paths.addAll(List.of(morePaths));
        for (String path : paths) {
            Response r = given().get(path);
            String what = "GET " + path + " (" + r.statusCode() + ")";
            assertEquals(
                    List.of("nosniff"),
                    r.headers().getValues("X-Content-Type-Options"),
                    "X-Content-Type-Options of " + what);
            assertEquals(
                    List.of("no-referrer"), r.headers().getValues("Referrer-Policy"), "Referrer-Policy of " + what);
            assertEquals(1, r.headers().getValues("Cache-Control").size(), "one Cache-Control on " + what);
            assertNull(r.header("Strict-Transport-Security"), "no HSTS over plain HTTP on " + what);
        }
    }

    /** An answer that carries a token, a session or personal data must never be stored. */
    public static void assertNoStore(Response r, String what) {
        List<String> values = r.headers().getValues("Cache-Control");
        assertTrue(
                values.size() == 1 && values.get(0).contains("no-store"),
                "Cache-Control of " + what + " (" + r.statusCode() + "): " + values);
    }

    /**
     * A request that reached the service over TLS through a trusted proxy ({@code X-Forwarded-Proto: https}
     * from 127.0.0.1) gets HSTS; the same request over plain HTTP does not.
     */
    public static void assertHstsOnlyOverTls(String path) {
        Response tls = given().header("X-Forwarded-Proto", "https").get(path);
        assertEquals(
                List.of(HSTS),
                tls.headers().getValues("Strict-Transport-Security"),
                "HSTS on GET " + path + " through a TLS proxy (" + tls.statusCode() + ")");
        assertNull(given().get(path).header("Strict-Transport-Security"), "no HSTS on plain GET " + path);
    }

    /** A page of {@code origin} gets no CORS answer on {@code path}: neither its preflight nor its request. */
    public static void assertNoCorsFor(String origin, String path) {
        Response preflight = given().header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options(path);
        assertNull(preflight.header("Access-Control-Allow-Origin"), "preflight of " + origin + " on " + path);
        assertNull(preflight.header("Access-Control-Allow-Credentials"), "preflight of " + origin + " on " + path);
        Response get = given().header("Origin", origin).get(path);
        assertNull(
                get.header("Access-Control-Allow-Origin"),
                "GET " + path + " from " + origin + " (" + get.statusCode() + ")");
    }

    /** A listed page's preflight is answered with credentials, and its request's answer is readable by it. */
    public static void assertCorsAllowed(String origin, String path) {
        given().header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options(path)
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", org.hamcrest.Matchers.containsString("POST"))
                .header("Access-Control-Allow-Headers", org.hamcrest.Matchers.containsString("Authorization"))
                .header("Vary", org.hamcrest.Matchers.containsString("Origin"));
        Response get = given().header("Origin", origin).get(path);
        assertEquals(origin, get.header("Access-Control-Allow-Origin"), "GET " + path + " (" + get.statusCode() + ")");
        assertTrue(
                String.valueOf(get.header("Access-Control-Expose-Headers")).contains("Location"),
                "exposed headers of GET " + path);
    }
}
