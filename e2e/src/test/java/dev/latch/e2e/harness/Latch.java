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

    /** The broker's provider for mock-oauth2-server, registered by {@link #federatedLoginThroughMockProvider}. */
    public static final String MOCK_PROVIDER = "mock";

    /**
     * A federated login without a browser, through mock-oauth2-server (which signs the user in without a form): the
     * broker's start, the provider's authorization endpoint, the broker's callback with the {@code latch_oauth}
     * cookie, each redirect followed by hand. Registers the provider at the broker first, once. Answers the landing
     * {@code Location} and the session the {@code latch_refresh} cookie gives at {@code /v1/auth/refresh}.
     */
    public synchronized Session federatedLoginThroughMockProvider() {
        if (!stack.mockProviderRegistered) {
            Http.Answer registered = Http.postJson(
                    url(),
                    "/v1/identity-providers/admin",
                    Map.of(
                            "id",
                            MOCK_PROVIDER,
                            "kind",
                            "oidc",
                            "title",
                            "Mock OIDC",
                            "clientId",
                            "latch-e2e",
                            "clientSecret",
                            Stack.secret("mock provider client secret", 24),
                            "issuer",
                            stack.oidcIssuer()),
                    admin().accessToken());
            assertEquals(201, registered.status(), () -> "mock provider registration: " + registered);
            stack.mockProviderRegistered = true;
        }
        Http.Answer start = Http.get(url(), "/v1/auth/oauth/" + MOCK_PROVIDER + "/start?redirect_to=/welcome", null);
        assertEquals(true, start.status() / 100 == 3, () -> "start: " + start);
        String oauthCookie =
                start.cookie("latch_oauth").orElseThrow(() -> new AssertionError("no latch_oauth: " + start));
        Http.Answer authorize = Http.send(
                Http.request(URI.create(start.header("Location").orElseThrow())).GET());
        assertEquals(true, authorize.status() / 100 == 3, () -> "the provider's authorization endpoint: " + authorize);
        URI callback = URI.create(authorize.header("Location").orElseThrow());
        assertEquals(
                url().getPort(), callback.getPort(), () -> "back to the broker through the public entry: " + callback);
        Http.Answer landed = Http.send(Http.request(callback)
                .header("Cookie", "latch_oauth=" + oauthCookie)
                .GET());
        assertEquals(3, landed.status() / 100, () -> "callback: " + landed);
        assertEquals("/welcome", landed.header("Location").orElse(""), () -> "landing: " + landed);
        String refresh =
                landed.cookie("latch_refresh").orElseThrow(() -> new AssertionError("no latch_refresh: " + landed));
        dev.latch.common.testing.SecretLedger.record("refresh token", refresh);
        Http.Answer session = refresh(url(), refresh);
        assertEquals(200, session.status(), () -> "the federated session's refresh: " + session);
        return new Session(
                session.json().path("accessToken").asText(),
                session.json().path("refreshToken").asText(),
                session.json().path("user").path("id").asText());
    }
}
