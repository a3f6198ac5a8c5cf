package dev.latch.auth.session;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code latch_refresh} cookie as the browser receives it, byte for byte: a plain RFC 6265 cookie with
 * exactly Max-Age, Path=/v1/auth, Secure, HttpOnly and SameSite=Lax — no legacy {@code Version=1}, no
 * {@code Domain}, no comment — at sign-in, refresh, a refused refresh and sign-out.
 */
@QuarkusTest
class RefreshCookieHeaderTest {

    static final Pattern ISSUED = Pattern.compile(
            "latch_refresh=([A-Za-z0-9_-]{20,}); Max-Age=(\\d+); Path=/v1/auth; Secure; HttpOnly; SameSite=Lax");
    static final String CLEARED = "latch_refresh=; Max-Age=0; Path=/v1/auth; Secure; HttpOnly; SameSite=Lax";

    private static String onlySetCookie(Response answer) {
        List<String> values = answer.getHeaders().getValues("Set-Cookie");
        assertEquals(1, values.size(), values.toString());
        return values.get(0);
    }

    private static String issued(Response answer) {
        String header = onlySetCookie(answer);
        Matcher m = ISSUED.matcher(header);
        assertTrue(m.matches(), header);
        long maxAge = Long.parseLong(m.group(2));
        assertTrue(maxAge > 3600 && maxAge <= 90L * 24 * 3600, header);
        return m.group(1);
    }

    @Test
    void signInRefreshAndSignOutSetAPlainCookie() {
        String username = Api.uniqueName("cookie");
        Api.signUp(username);
        String first = issued(Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .response());

        Response refreshed = given().cookie("latch_refresh", first).post("/v1/auth/refresh");
        refreshed.then().statusCode(200);
        String second = issued(refreshed);
        assertTrue(!second.equals(first), "the refresh token rotates");

        Response out = given().cookie("latch_refresh", second).post("/v1/auth/signout");
        out.then().statusCode(204);
        assertEquals(CLEARED, onlySetCookie(out));

        Response refused = given().cookie("latch_refresh", second).post("/v1/auth/refresh");
        refused.then().statusCode(401).contentType("application/problem+json");
        assertEquals(CLEARED, onlySetCookie(refused));
    }
}
