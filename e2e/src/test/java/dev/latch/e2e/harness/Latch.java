package dev.latch.e2e.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

/** The calls a product makes to Latch, through the stack's public entry unless a base URL is given. */
public final class Latch {

    /** A signed-in session: the access token and the refresh token (from the {@code latch_refresh} cookie). */
    public record Session(String accessToken, String refreshToken, String userId) {}

    private final Stack stack;

    public Latch(Stack stack) {
        this.stack = stack;
    }

    public URI url() {
        return stack.publicUrl();
    }

    /** A fresh, unique username. */
    public static String username(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
    }

    public void signUp(String username, String password) {
        Http.Answer a =
                Http.postJson(url(), "/v1/auth/signup", Map.of("username", username, "password", password), null);
        assertEquals(201, a.status(), () -> "sign-up of " + username + ": " + a);
    }

    public Http.Answer signInAnswer(URI base, String username, String password) {
        return Http.postJson(base, "/v1/auth/signin", Map.of("username", username, "password", password), null);
    }

    public Session signIn(String username, String password) {
        Http.Answer a = signInAnswer(url(), username, password);
        assertEquals(200, a.status(), () -> "sign-in of " + username + ": " + a);
        String refresh = a.cookie("latch_refresh").orElseThrow(() -> new AssertionError("no latch_refresh: " + a));
        return new Session(
                a.json().path("accessToken").asText(),
                refresh,
                a.json().path("user").path("id").asText());
    }

    public Session admin() {
        return signIn(stack.adminUsername(), stack.adminPassword());
    }

    /** A new user, signed in. */
    public Session newUser(String prefix) {
        String username = username(prefix);
        String password = Stack.secret("user password", 15);
        signUp(username, password);
        return signIn(username, password);
    }

    /** {@code POST /v1/auth/refresh} with the token in a JSON body (the answer carries the successor the same way). */
    public Http.Answer refresh(URI base, String refreshToken) {
        return Http.postJson(base, "/v1/auth/refresh", Map.of("refreshToken", refreshToken), null);
    }

    /** A personal access token: its id (to revoke it) and its secret. */
    public record Pat(String id, String token) {}

    /** A PAT of the session's user with these scopes; its secret is recorded for the log check. */
    public Pat createPat(String accessToken, String name, String... scopes) {
        Http.Answer a = Http.postJson(
                url(), "/v1/users/me/tokens", Map.of("name", name, "scopes", java.util.List.of(scopes)), accessToken);
        assertEquals(201, a.status(), () -> "PAT creation: " + a);
        String token = a.json().path("token").asText();
        dev.latch.common.testing.SecretLedger.record("PAT", token);
        return new Pat(a.json().path("id").asText(), token);
    }
}
