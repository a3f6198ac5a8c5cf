package dev.latch.idp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The broker's cookies as the browser receives them: plain RFC 6265 {@code Set-Cookie} values with exactly
 * Max-Age, Path, Secure, HttpOnly and SameSite=Lax — no legacy {@code Version=1}.
 */
@QuarkusTest
class CookieHeadersTest {

    static final Pattern BINDING = Pattern.compile(
            "latch_oauth=[A-Za-z0-9_.-]{20,}; Max-Age=600; Path=/v1/auth/oauth; Secure; HttpOnly; SameSite=Lax");
    static final Pattern REFRESH = Pattern.compile(
            "latch_refresh=[A-Za-z0-9_-]{20,}; Max-Age=2592000; Path=/v1/auth; Secure; HttpOnly; SameSite=Lax");
    static final String BINDING_CLEARED =
            "latch_oauth=; Max-Age=0; Path=/v1/auth/oauth; Secure; HttpOnly; SameSite=Lax";

    @Test
    void startAndCallbackSetPlainCookies() {
        String provider = Flows.createOidcProvider(Map.of());
        Response start = Flows.start(provider, "/");
        start.then().statusCode(307);
        List<String> atStart = start.getHeaders().getValues("Set-Cookie");
        assertEquals(1, atStart.size(), atStart.toString());
        assertTrue(BINDING.matcher(atStart.get(0)).matches(), atStart.get(0));

        Response callback = Flows.loginAtMock(provider, "cookie-sub", Map.of("name", "Cookie"));
        callback.then().statusCode(307).header("Location", "/app");
        List<String> atCallback = callback.getHeaders().getValues("Set-Cookie");
        assertEquals(2, atCallback.size(), atCallback.toString());
        assertTrue(atCallback.stream().anyMatch(c -> REFRESH.matcher(c).matches()), atCallback.toString());
        assertTrue(atCallback.contains(BINDING_CLEARED), atCallback.toString());
        assertTrue(atCallback.stream().noneMatch(c -> c.toLowerCase().contains("version")), atCallback.toString());
    }

    @Test
    void aFailedLoginOnlyClearsTheBindingCookie() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.Started started = Flows.started(provider, "/");
        Response failed = Flows.callback(
                provider, Map.of("error", "access_denied", "state", started.state()), started.bindingCookie());
        failed.then().statusCode(307).header("Location", "/?oauth_error=access_denied");
        assertEquals(List.of(BINDING_CLEARED), failed.getHeaders().getValues("Set-Cookie"));
    }
}
