package dev.latch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.latch.common.testing.Chromium;
import dev.latch.common.testing.SecretLedger;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Node;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 8: Latch as the OpenID Provider of applications no one here wrote. Node's {@code openid-client} runs as a
 * relying party ({@code e2e/node/oidc-rp.mjs}, its own HTTP server on a loopback port) that knows only the issuer
 * URL (the balancer's public entry) and a client an ADMIN registered through {@code /v1/oauth-clients}. Chromium
 * opens the RP's {@code /login}, signs in on Latch's login page, allows on the consent page, and lands on the RP's
 * callback, where openid-client exchanged the code (state, nonce, PKCE S256, {@code iss}, the ID token against the
 * JWKS) and shows the claims and userinfo. Then {@code prompt=none} gets a new code with the {@code latch_session} cookie and no
 * page; Node's {@code jose}, with only the JWKS URL, verifies the ID token and its {@code at_hash}; RP-initiated
 * logout ends the session, after which {@code prompt=none} answers {@code login_required}. A confidential
 * first-party client skips the consent page. Screenshots of each landing in {@code e2e/target/screenshots/}.
 */
@ExtendWith(SharedStack.class)
@Order(8)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenIdProviderIT {

    private static final String SCOPES = "openid profile email offline_access";

    /** A relying party: its client registration, its Node process and its base URL. */
    record RelyingParty(String clientId, String base, Node.Server server) {
        String url(String path) {
            return base + path;
        }
    }

    private static final List<AutoCloseable> closing = new ArrayList<>();
    private static Playwright playwright;
    private static Browser browser;
    /** The browser of the public client's user: its cookies (latch_session) carry from one test to the next. */
    private static BrowserContext context;

    private static RelyingParty spa;
    private static RelyingParty web;
    private static String username;
    private static String password;
    private static String userId;
    /** The public client's first sign-in, for the silent one and the logout to compare with. */
    private static JsonNode firstSignIn;

    @BeforeAll
    static void start(Stack stack) throws Exception {
        Chromium.require();
        playwright = Chromium.playwright();
        closing.add(playwright);
        browser = Chromium.launch(playwright);
        closing.add(browser);
        context = Chromium.localContext(browser, 30_000);
        closing.add(context);

        Latch latch = new Latch(stack);
        String admin = latch.admin().accessToken();
        spa = relyingParty(stack, admin, "e2e single-page app", "public", false);
        web = relyingParty(stack, admin, "e2e web app", "confidential", true);

        username = Latch.username("rp");
        password = Stack.secret("user password", 15);
        latch.signUp(username, password);
        userId = latch.signIn(username, password).userId();
    }

    @AfterAll
    static void stop() throws Exception {
        Exception failure = null;
        for (int i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        closing.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /** Registers a client for an RP on a free loopback port through the admin API, then starts the RP on that port. */
    private static RelyingParty relyingParty(Stack stack, String admin, String name, String type, boolean firstParty)
            throws Exception {
        int port = Stack.freePort();
        String base = "http://127.0.0.1:" + port;
        Http.Answer registered = Http.postJson(
                stack.publicUrl(),
                "/v1/oauth-clients",
                Map.of(
                        "name", name,
                        "type", type,
                        "firstParty", firstParty,
                        "redirectUris", List.of(base + "/callback"),
                        "postLogoutRedirectUris", List.of(base + "/"),
                        "grantTypes", List.of("authorization_code", "refresh_token"),
                        "scopes", List.of(SCOPES.split(" "))),
                admin);
        assertEquals(201, registered.status(), () -> "registration of " + name + ": " + registered);
        String clientId = registered.json().path("clientId").asText();
        List<String> args = new ArrayList<>(List.of(stack.issuer(), String.valueOf(port), clientId));
        if (type.equals("confidential")) {
            String secret = registered.json().path("clientSecret").asText();
            SecretLedger.record("registered client secret", secret);
            args.add(secret);
        }
        Node.Server server = Node.start(
                stack.logs().resolve("oidc-rp-" + type + ".log"), "oidc-rp.mjs", args.toArray(String[]::new));
        closing.add(server);
        return new RelyingParty(clientId, base, server);
    }

    @Test
    @Order(1)
    void openidClientSignsInThroughTheLoginAndConsentPagesAndValidatesTheIdToken(Stack stack) throws Exception {
        Page page = context.newPage();
        List<String> latchPages = latchPagesShown(page, stack);
        page.navigate(spa.url("/login"));
        page.waitForURL(url -> url.startsWith(stack.publicUrl() + "/login"));
        assertTrue(page.getByLabel("Username or email").isVisible(), "the login page: " + page.content());
        screenshot(page, "oidc-rp-login");
        signIn(page, stack.publicUrl().toString(), username, password);

        page.waitForSelector("button[name=decision][value=allow]");
        assertTrue(page.content().contains("e2e single-page app"), "the consent page names the client");
        screenshot(page, "oidc-rp-consent");
        page.getByRole(
                        AriaRole.BUTTON,
                        new Page.GetByRoleOptions().setName("Allow").setExact(true))
                .click();

        JsonNode signedIn = landing(page, spa, "oidc-rp-callback");
        assertTrue(signedIn.path("ok").asBoolean(), signedIn.toString());
        assertEquals(
                List.of("GET " + stack.publicUrl() + "/login?", "POST " + stack.publicUrl() + "/login"),
                latchPages.stream().map(p -> p.replaceAll("\\?.*", "?")).toList(),
                "the login page, then the consent page (the answer to the login form)");
        JsonNode claims = signedIn.path("claims");
        assertEquals(userId, claims.path("sub").asText(), claims.toString());
        assertEquals(stack.issuer(), claims.path("iss").asText(), claims.toString());
        assertEquals(spa.clientId(), audience(claims), claims.toString());
        // openid-client compared them already; the RP shows what it sent, so this says the claim is the request's
        assertEquals(
                signedIn.path("checked").path("nonce").asText(),
                claims.path("nonce").asText());
        assertEquals(username, claims.path("preferred_username").asText(), claims.toString());
        assertTrue(claims.path("sid").isTextual(), claims.toString());
        assertTrue(claims.path("at_hash").isTextual(), claims.toString());
        assertTrue(
                StreamSupport.stream(claims.path("amr").spliterator(), false)
                        .anyMatch(m -> m.asText().equals("pwd")),
                "a password login: " + claims);
        JsonNode tokens = record(signedIn.path("tokens"));
        assertTrue(tokens.path("refresh_token").isTextual(), "offline_access gives a refresh token: " + tokens);
        // context.cookies(url) leaves out Secure cookies for an http:// URL, so all of them
        assertTrue(
                context.cookies().stream().anyMatch(c -> c.name.equals("latch_session") && c.httpOnly),
                "the browser holds latch_session");

        // openid-client's fetchUserInfo with the access token, the subject checked against the ID token's
        JsonNode userinfo = signedIn.path("userinfo");
        assertTrue(userinfo.path("ok").asBoolean(), "openid-client's fetchUserInfo: " + userinfo);
        assertEquals(userId, userinfo.path("value").path("sub").asText(), userinfo.toString());
        assertEquals(username, userinfo.path("value").path("preferred_username").asText(), userinfo.toString());
        firstSignIn = signedIn;
        page.close();
    }

    @Test
    @Order(2)
    void joseVerifiesTheIdTokenWithOnlyTheJwksAndItsAtHashMatchesTheAccessToken(Stack stack) throws Exception {
        Assumptions.assumeTrue(firstSignIn != null, "needs the first sign-in");
        JsonNode tokens = firstSignIn.path("tokens");
        String jwks = stack.publicUrl().resolve("/.well-known/jwks.json").toString();
        JsonNode out = Node.run(
                "verify-id-token.mjs",
                jwks,
                stack.issuer(),
                spa.clientId(),
                tokens.path("id_token").asText(),
                tokens.path("access_token").asText());
        assertTrue(out.path("ok").asBoolean(), out.toString());
        JsonNode payload = out.path("payload");
        assertEquals(userId, payload.path("sub").asText(), payload.toString());
        assertEquals(
                firstSignIn.path("checked").path("nonce").asText(),
                payload.path("nonce").asText());
        assertEquals(out.path("atHash").asText(), payload.path("at_hash").asText(), "at_hash of the access token");
        assertEquals(
                Http.header(tokens.path("id_token").asText()).path("kid").asText(),
                out.path("header").path("kid").asText());
        // the same token for another client is refused: jose really compared the audience
        assertFalse(out.path("otherAudience").path("ok").asBoolean(), out.toString());
        assertEquals(
                "ERR_JWT_CLAIM_VALIDATION_FAILED",
                out.path("otherAudience").path("code").asText(),
                out.toString());
    }

    @Test
    @Order(3)
    void promptNoneWithTheLatchSessionGetsANewCodeWithoutAnyPage(Stack stack) throws Exception {
        Assumptions.assumeTrue(firstSignIn != null, "needs the first sign-in");
        Page page = context.newPage();
        List<String> latchPages = latchPagesShown(page, stack);
        page.navigate(spa.url("/silent"));
        JsonNode silent = landing(page, spa, "oidc-rp-silent");
        assertTrue(silent.path("ok").asBoolean(), silent.toString());
        assertEquals(List.of(), latchPages, "prompt=none shows no page of Latch");
        JsonNode claims = silent.path("claims");
        JsonNode first = firstSignIn.path("claims");
        assertEquals(userId, claims.path("sub").asText(), claims.toString());
        assertEquals(
                silent.path("checked").path("nonce").asText(),
                claims.path("nonce").asText());
        assertNotEquals(first.path("nonce").asText(), claims.path("nonce").asText(), "a new request");
        assertEquals(first.path("sid").asText(), claims.path("sid").asText(), "the same browser session");
        assertEquals(first.path("auth_time").asLong(), claims.path("auth_time").asLong(), "no new login");
        record(silent.path("tokens"));
        assertNotEquals(
                firstSignIn.path("tokens").path("access_token").asText(),
                silent.path("tokens").path("access_token").asText());
        page.close();
    }

    @Test
    @Order(4)
    void rpInitiatedLogoutEndsTheSessionSoPromptNoneAnswersLoginRequired(Stack stack) throws Exception {
        Assumptions.assumeTrue(firstSignIn != null, "needs the first sign-in");
        Page page = context.newPage();
        page.navigate(spa.url("/logout"));
        page.waitForURL(url -> url.equals(spa.url("/")), new Page.WaitForURLOptions().setTimeout(30_000));
        screenshot(page, "oidc-rp-logged-out");
        assertEquals("logged out", page.textContent("#message"));
        assertTrue(
                context.cookies().stream().noneMatch(c -> c.name.equals("latch_session")),
                "latch_session is cleared: "
                        + context.cookies().stream().map(c -> c.name).toList());

        page.navigate(spa.url("/silent"));
        JsonNode refused = landing(page, spa, "oidc-rp-silent-after-logout");
        assertFalse(refused.path("ok").asBoolean(), refused.toString());
        assertEquals("login_required", refused.path("error").asText(), refused.toString());
        page.close();
    }

    @Test
    @Order(5)
    void aConfidentialFirstPartyClientSignsInWithoutTheConsentPage(Stack stack) throws Exception {
        try (BrowserContext fresh = Chromium.localContext(browser, 30_000)) {
            Page page = fresh.newPage();
            List<String> latchPages = latchPagesShown(page, stack);
            page.navigate(web.url("/login"));
            page.waitForURL(url -> url.startsWith(stack.publicUrl() + "/login"));
            signIn(page, stack.publicUrl().toString(), username, password);
            JsonNode signedIn = landing(page, web, "oidc-rp-first-party-callback");
            assertTrue(signedIn.path("ok").asBoolean(), signedIn.toString());
            // the consent page would be a second page (the answer to the login form's POST)
            assertEquals(1, latchPages.size(), "only the login page, no consent page: " + latchPages);
            assertTrue(latchPages.get(0).startsWith("GET " + stack.publicUrl() + "/login?"), latchPages.toString());
            JsonNode claims = signedIn.path("claims");
            assertEquals(userId, claims.path("sub").asText(), claims.toString());
            assertEquals(web.clientId(), audience(claims), claims.toString());
            assertEquals(stack.issuer(), claims.path("iss").asText(), claims.toString());
            record(signedIn.path("tokens"));
        }
    }

    /**
     * Fills in Latch's login page with the user's password and presses "Sign in": the form's POST is accepted (the
     * consent page, or a redirect on), else the failure names what Chromium sent and what Latch answered.
     */
    static void signIn(Page page, String base, String username, String password) {
        page.getByLabel("Username or email", new Page.GetByLabelOptions().setExact(true))
                .fill(username);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        Response posted = page.waitForResponse(
                r -> r.url().equals(base + "/login") && r.request().method().equals("POST"),
                () -> page.getByRole(
                                AriaRole.BUTTON,
                                new Page.GetByRoleOptions().setName("Sign in").setExact(true))
                        .click());
        if (posted.status() != 200 && posted.status() != 303) {
            Map<String, String> sent = posted.request().allHeaders();
            throw new AssertionError("the login form's POST /login (Origin: " + sent.get("origin")
                    + ", Sec-Fetch-Site: " + sent.get("sec-fetch-site") + ", Referrer-Policy of the login page: "
                    + page.evaluate("document.querySelector('meta[name=referrer]')?.content") + ") answered "
                    + posted.status() + ": "
                    + page.textContent("body").replaceAll("\\s+", " ").trim());
        }
    }

    /** Waits for the RP's callback and reads what it shows (after a screenshot). */
    private static JsonNode landing(Page page, RelyingParty rp, String screenshot) throws Exception {
        page.waitForURL(url -> url.startsWith(rp.url("/callback")));
        page.waitForSelector("#result");
        screenshot(page, screenshot);
        return Http.JSON.readTree(page.textContent("#result"));
    }

    /** The pages (200 HTML answers) Latch shows this page from now on; redirects are not pages. */
    private static List<String> latchPagesShown(Page page, Stack stack) {
        List<String> shown = new CopyOnWriteArrayList<>();
        page.onResponse((Response r) -> {
            if (r.url().startsWith(stack.publicUrl() + "/")
                    && r.status() == 200
                    && r.headerValue("content-type") != null
                    && r.headerValue("content-type").startsWith("text/html")) {
                shown.add(r.request().method() + " " + r.url());
            }
        });
        return shown;
    }

    private static String audience(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        if (aud.isArray()) {
            assertEquals(1, aud.size(), "one audience: " + aud);
            return aud.get(0).asText();
        }
        return aud.asText();
    }

    private static JsonNode record(JsonNode tokens) {
        // not the ID token: RP-initiated logout sends it in a URL, as OpenID Connect means it to
        for (String name : List.of("access_token", "refresh_token")) {
            if (tokens.path(name).isTextual()) {
                SecretLedger.record(name.replace('_', ' '), tokens.path(name).asText());
            }
        }
        return tokens;
    }

    private static void screenshot(Page page, String name) throws Exception {
        Files.createDirectories(Chromium.SCREENSHOTS);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(Chromium.SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }
}
