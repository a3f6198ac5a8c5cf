package dev.latch.idp.landing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.Chromium;
import dev.latch.idp.Flows;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The landing page in a real browser (the machine's Chromium, driven by Playwright): not signed in → the
 * provider button → the provider's login form (mock-oauth2-server with its interactive login) → back on
 * {@code /} showing who is signed in (refresh and users/me at auth-service, here its stub on another
 * loopback origin, as in the local run) → sign out → not signed in. No answer of 404 (no other error than the
 * expected 401 of a refresh without a session), no console error besides that 401, no script error.
 * Screenshots of each state go to {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(LandingPageBrowserTest.LocalRun.class)
class LandingPageBrowserTest {

    /** Like the local run: the page on localhost:PORT, auth-service elsewhere, the provider redirecting back here. */
    public static class LocalRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port = port();
            return Map.of(
                    "quarkus.http.test-port",
                    String.valueOf(port),
                    "latch.public-base-url",
                    "http://localhost:" + port,
                    "latch.auth-service-public-url",
                    "${latch.auth-service-url}");
        }
    }

    private static final String PORT_PROPERTY = "latch.test.landing-page-port";
    private static final Path SHOTS = Chromium.SCREENSHOTS;

    static int port() {
        return Chromium.port(PORT_PROPERTY);
    }

    private static MockOAuth2Server provider;

    @TestHTTPResource("/")
    URL page;

    @BeforeAll
    static void startProvider() {
        Chromium.require();
        provider = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\":true}"));
        provider.start();
    }

    @AfterAll
    static void stopProvider() {
        if (provider != null) {
            provider.shutdown();
        }
    }

    @Test
    void theScriptIsToldWhereAuthServiceIsForTheHostNameOfThePage() {
        int stubPort = URI.create(AuthServerStub.issuer()).getPort();
        given().baseUri("http://localhost")
                .port(port())
                .get("/landing/config.json")
                .then()
                .statusCode(200)
                .body("authServiceUrl", equalTo("http://localhost:" + stubPort));
        given().baseUri("http://127.0.0.1")
                .port(port())
                .get("/landing/config.json")
                .then()
                .statusCode(200)
                .body("authServiceUrl", equalTo("http://127.0.0.1:" + stubPort));
        given().baseUri("http://localhost")
                .port(port())
                .get("/")
                .then()
                .statusCode(200)
                .header(
                        "Content-Security-Policy",
                        containsString("connect-src 'self' http://localhost:" + stubPort + ";"));
    }

    @Test
    void signInShowsWhoIsSignedInAndSignOutEndsIt() throws Exception {
        Files.createDirectories(SHOTS);
        String base = page.toString();
        assertTrue(base.startsWith("http://localhost:"), base);
        Flows.createOidcProvider(Map.of(
                "id",
                Flows.uniqueId("local"),
                "title",
                "Local OIDC provider",
                "issuer",
                provider.issuerUrl("default").toString()));

        List<String> failedAnswers = new CopyOnWriteArrayList<>();
        List<String> consoleErrors = new CopyOnWriteArrayList<>();
        List<String> scriptErrors = new CopyOnWriteArrayList<>();
        List<String> requested = new CopyOnWriteArrayList<>();
        try (Playwright playwright = Chromium.playwright();
                Browser browser = Chromium.launch(playwright)) {
            BrowserContext context = Chromium.localContext(browser, 20_000);
            Page tab = context.newPage();
            tab.onRequest(request -> requested.add(request.url()));
            tab.onResponse(response -> {
                if (response.status() >= 400) {
                    failedAnswers.add(response.status() + " " + response.url());
                }
            });
            tab.onConsoleMessage(message -> {
                if ("error".equals(message.type()) && tab.url().startsWith(base)) {
                    consoleErrors.add(message.text() + " @ " + message.location());
                }
            });
            tab.onPageError(error -> scriptErrors.add(error));

            // 1. not signed in: the sign-in options
            tab.navigate(base);
            Locator button = tab.getByRole(
                    AriaRole.LINK, new Page.GetByRoleOptions().setName("Continue with Local OIDC provider"));
            button.waitFor();
            assertEquals("Sign in", tab.locator("h1").textContent());
            assertFalse(tab.locator("#signed-in").isVisible());
            assertEquals(
                    "Sign in with one of your accounts. You come back to this page afterwards.",
                    tab.locator("#status").textContent().trim());
            assertEquals("Sign in · Latch", tab.title());
            // keyboard: the first stop is the sign-in option
            tab.keyboard().press("Tab");
            assertEquals("Continue with Local OIDC provider", tab.evaluate("document.activeElement.textContent"));
            tab.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("1-signed-out.png")));

            // 2. the provider's login form
            button.click();
            tab.waitForURL(Pattern.compile(
                    "^" + Pattern.quote(provider.baseUrl().toString().replaceAll("/$", "")) + ".*"));
            tab.locator("input[name=username]").fill("alice");
            tab.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("2-provider-login.png")));
            tab.locator("input[type=submit]").click();

            // 3. back on the landing page, signed in
            tab.waitForURL(base);
            tab.locator("#signed-in").waitFor();
            assertEquals("You are signed in", tab.locator("h1").textContent());
            assertEquals("Signed in as", tab.locator(".account-label").textContent());
            String name = tab.locator("#account-name").textContent();
            assertTrue(name.matches("user-[0-9a-f]{8}"), name);
            assertFalse(tab.locator("#providers").isVisible());
            Locator signOut = tab.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"));
            assertTrue(signOut.isVisible());
            tab.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("3-signed-in.png")));

            // 4. signed out: the options are back, and a reload does not sign in again
            signOut.click();
            button.waitFor();
            assertEquals("You are signed out.", tab.locator("#notice-text").textContent());
            assertFalse(tab.locator("#signed-in").isVisible());
            tab.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("4-signed-out.png")));
            tab.reload();
            button.waitFor();
            assertFalse(tab.locator("#signed-in").isVisible());

            // 5. a failed provider login is explained
            tab.navigate(base + "?oauth_error=signup_disabled");
            button.waitFor();
            assertTrue(
                    tab.locator("#notice-text").textContent().startsWith("Sign-in failed. There is no account"),
                    tab.locator("#notice-text").textContent());
            assertEquals("Code: signup_disabled", tab.locator("#notice-code").textContent());
            tab.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("5-oauth-error.png")));
            tab.navigate(base + "?oauth_error=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
            button.waitFor();
            assertEquals(0, tab.locator("#notice img").count(), "written as text, never as HTML");

            // every icon the page links is there
            for (Object href :
                    (List<?>) tab.evaluate("[...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)")) {
                assertEquals(200, tab.request().get(href.toString()).status(), href.toString());
            }
        }

        assertTrue(requested.stream().anyMatch(u -> u.endsWith("/landing/config.json")), requested.toString());
        assertTrue(failedAnswers.stream().noneMatch(a -> a.startsWith("404 ")), failedAnswers.toString());
        // the only failure the page meets is the refresh without a session (401, "not signed in")
        assertTrue(
                failedAnswers.stream().allMatch(a -> a.startsWith("401 ") && a.endsWith("/v1/auth/refresh")),
                failedAnswers.toString());
        assertTrue(
                consoleErrors.stream().allMatch(e -> e.contains("401") && e.contains("/v1/auth/refresh")),
                consoleErrors.toString());
        assertTrue(scriptErrors.isEmpty(), scriptErrors.toString());
    }
}
