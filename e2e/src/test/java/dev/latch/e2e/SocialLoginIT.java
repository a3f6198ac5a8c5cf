package dev.latch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.latch.common.testing.Chromium;
import dev.latch.common.testing.SecretLedger;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.KeycloakRealm;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 2: "Sign in with Keycloak" in Chromium. The browser opens the broker's start URL through the public entry,
 * fills in Keycloak's own login form, gives (or refuses) consent on Keycloak's page, and lands on the product's
 * {@code /welcome} with the {@code latch_refresh} cookie, which the page exchanges for an access token. Screenshots
 * of each landing are kept in {@code e2e/target/screenshots/}. First, a quick login through mock-oauth2-server with plain
 * HTTP (no browser, no form), which also runs when the Keycloak scenarios are off.
 */
@ExtendWith(SharedStack.class)
@Order(2)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SocialLoginIT {

    /** The access token of the first Keycloak login, for the attachments scenario. */
    static volatile Latch.Session federated;

    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void browser() {
        Chromium.require();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    @Order(0)
    void aQuickFederatedLoginThroughMockOauth2ServerLandsWithASession(Stack stack) {
        Latch.Session session = new Latch(stack).federatedLoginThroughMockProvider();
        JsonNode claims = Http.claims(session.accessToken());
        assertEquals(session.userId(), claims.path("sub").asText());
        assertEquals("USER", claims.path("role").asText(), "a federated user is never the bootstrap ADMIN");
        JsonNode linked = Http.get(
                        stack.publicUrl(),
                        "/v1/audit-events?type=auth.oauth." + Latch.MOCK_PROVIDER + ".linked",
                        new Latch(stack).admin().accessToken())
                .json()
                .path("items");
        assertTrue(
                StreamSupport.stream(linked.spliterator(), false)
                        .anyMatch(e -> e.path("actorId").asText().equals(session.userId())),
                "auth.oauth.mock.linked is audited: " + linked);
    }

    @Test
    @Order(1)
    void aFirstKeycloakLoginCreatesTheUserAndASecondFindsIt(Stack stack, KeycloakRealm keycloak) throws Exception {
        Landing first = login(stack, keycloak.user(), true, "keycloak-first-login");
        assertEquals("/welcome", first.path(), first.toString());
        assertTrue(first.query().isEmpty(), "no oauth_error: " + first);
        String refresh =
                first.refreshCookie().orElseThrow(() -> new AssertionError("no latch_refresh cookie: " + first));
        SecretLedger.record("refresh token", refresh);
        JsonNode session = first.exchanged();
        assertEquals(200, first.exchangeStatus(), "the page's POST /v1/auth/refresh: " + session);
        String access = session.path("accessToken").asText();
        String userId = session.path("user").path("id").asText();
        JsonNode claims = Http.claims(access);
        assertEquals(userId, claims.path("sub").asText());
        assertEquals(stack.issuer(), claims.path("iss").asText());
        federated = new Latch.Session(access, null, userId);

        JsonNode linked = linkedEvents(stack, userId);
        assertEquals(1, linked.size(), "one auth.oauth.keycloak.linked event after the first login: " + linked);
        assertEquals(
                "false", linked.get(0).path("metadata").path("existing_user").asText(), linked.toString());

        Landing second = login(stack, keycloak.user(), false, "keycloak-second-login");
        assertEquals("/welcome", second.path(), second.toString());
        assertEquals(200, second.exchangeStatus(), second.toString());
        assertEquals(userId, second.exchanged().path("user").path("id").asText(), "the same Latch user");
        JsonNode again = linkedEvents(stack, userId);
        assertEquals(2, again.size(), again.toString());
        assertTrue(
                StreamSupport.stream(again.spliterator(), false)
                        .anyMatch(e -> e.path("metadata")
                                .path("existing_user")
                                .asText()
                                .equals("true")),
                "the second login is audited with existing_user=true: " + again);
    }

    @Test
    @Order(2)
    void aRefusedConsentLandsOnWelcomeWithAccessDenied(Stack stack, KeycloakRealm keycloak) throws Exception {
        Landing denied = login(stack, keycloak.refuser(), null, "keycloak-consent-denied");
        assertEquals("/welcome", denied.path(), denied.toString());
        assertEquals("oauth_error=access_denied", denied.query(), denied.toString());
        assertTrue(denied.refreshCookie().isEmpty(), "no session after a refused consent: " + denied);
    }

    /** Where a login ended: the landing URL, the cookie, and the page's own exchange of it for an access token. */
    record Landing(
            String url, String path, String query, Optional<String> refreshCookie, int exchangeStatus, String body) {
        JsonNode exchanged() throws Exception {
            return Http.JSON.readTree(body);
        }
    }

    /**
     * One login in a fresh browser (no Keycloak session, no cookies). {@code consent}: true clicks Yes on Keycloak's
     * consent page, false expects no consent page (given before), null clicks No.
     */
    private static Landing login(Stack stack, KeycloakRealm.User user, Boolean consent, String screenshot)
            throws Exception {
        try (BrowserContext context = Chromium.localContext(browser, 30_000)) {
            Page page = context.newPage();
            String base = stack.publicUrl().toString();
            page.navigate(base + "/v1/auth/oauth/" + KeycloakRealm.PROVIDER + "/start?redirect_to=/welcome");
            page.waitForSelector("#username");
            page.fill("#username", user.username());
            page.fill("#password", user.password());
            page.click("#kc-login");
            if (consent == null || consent) {
                page.waitForSelector("[name=accept]");
                Files.createDirectories(Chromium.SCREENSHOTS);
                page.screenshot(new Page.ScreenshotOptions()
                        .setPath(Chromium.SCREENSHOTS.resolve(screenshot + "-consent.png"))
                        .setFullPage(true));
                page.click(consent == null ? "[name=cancel]" : "[name=accept]");
            }
            page.waitForURL(url -> url.startsWith(base + "/welcome"));
            page.waitForLoadState();
            Path shot = Chromium.SCREENSHOTS.resolve(screenshot + ".png");
            page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
            java.net.URI landed = java.net.URI.create(page.url());
            // context.cookies(url) leaves out Secure cookies for an http:// URL; Chromium itself sends them to
            // loopback, a secure context, so the page's own request below carries it
            Optional<String> cookie = context.cookies().stream()
                    .filter(c -> c.name.equals("latch_refresh") && c.path.equals("/v1/auth"))
                    .map(c -> c.value)
                    .findFirst();
            int status = 0;
            String body = "";
            if (cookie.isPresent()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = (Map<String, Object>) page.evaluate("async () => {"
                        + " const r = await fetch('/v1/auth/refresh', {method: 'POST', credentials: 'same-origin'});"
                        + " return {status: r.status, body: await r.text()}; }");
                status = ((Number) r.get("status")).intValue();
                body = (String) r.get("body");
            }
            List<Cookie> all = context.cookies();
            return new Landing(
                    page.url() + " cookies "
                            + all.stream().map(c -> c.name + "@" + c.path).toList(),
                    landed.getPath(),
                    landed.getQuery() == null ? "" : landed.getQuery(),
                    cookie,
                    status,
                    body);
        }
    }

    private static JsonNode linkedEvents(Stack stack, String userId) {
        String admin = new Latch(stack).admin().accessToken();
        Http.Answer a = Http.get(
                stack.publicUrl(),
                "/v1/audit-events?type=auth.oauth." + KeycloakRealm.PROVIDER + ".linked&pageSize=100",
                admin);
        assertEquals(200, a.status(), a.toString());
        com.fasterxml.jackson.databind.node.ArrayNode mine = Http.JSON.createArrayNode();
        for (JsonNode e : a.json().path("items")) {
            if (e.path("actorId").asText().equals(userId)) {
                mine.add(e);
            }
        }
        return mine;
    }
}
