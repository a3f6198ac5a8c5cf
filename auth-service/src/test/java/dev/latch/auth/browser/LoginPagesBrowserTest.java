package dev.latch.auth.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.latch.auth.Api;
import dev.latch.common.testing.Chromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenID Provider's pages in a real browser (the machine's Chromium, driven by Playwright): the login page
 * (labels, focus, a visible error), the consent page (Allow and Deny), the landing at the client with code, state
 * and iss, and the error page of an untrusted request. The client's redirect URI is answered by the browser
 * context itself (nothing listens on port 8095). Screenshots go to {@code target/screenshots/op-*.png}.
 */
@QuarkusTest
class LoginPagesBrowserTest {

    private static final Path SHOTS = Chromium.SCREENSHOTS;

    @TestHTTPResource("/")
    URL auth;

    @BeforeAll
    static void requirements() {
        Chromium.require();
    }

    private String authorizeUrl(String clientId, String state) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", "http://localhost:8095/callback");
        p.put("scope", "openid profile email offline_access");
        p.put("state", state);
        p.put("nonce", "n-" + state);
        p.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        p.put("code_challenge_method", "S256");
        return auth + "oauth2/authorize?"
                + p.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
    }

    @Test
    void loginConsentAndLandingInChromium() {
        String user = Api.uniqueName("browser");
        Api.signUp(user);
        try (Playwright playwright = Chromium.playwright();
                Browser browser = Chromium.launch(playwright)) {
            BrowserContext context = Chromium.localContext(browser, 15_000);
            context.route(
                    "http://localhost:8095/**",
                    route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                            .setStatus(200)
                            .setContentType("text/html")
                            .setBody("<!doctype html><title>Client</title><h1>Client landing</h1>")));
            Page page = context.newPage();
            page.navigate(authorizeUrl("latch-dev-spa", "browser-state"));
            assertTrue(page.url().contains("/login?request="), page.url());
            assertEquals("Sign in · Latch", page.title());
            // the first field has the focus, and each field is named by its label
            assertEquals("username", page.evaluate("document.activeElement.id"));
            assertTrue(
                    page.getByText("to continue to Latch dev single-page app").isVisible());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("op-login.png")));

            page.getByLabel("Username or email").fill(user);
            page.getByLabel("Password").fill("not the password");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                    .click();
            assertTrue(page.getByRole(AriaRole.ALERT).textContent().contains("incorrect"));
            // the username stays, and the focus goes to the password
            assertEquals(user, page.getByLabel("Username or email").inputValue());
            assertEquals("password", page.evaluate("document.activeElement.id"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("op-login-error.png")));

            page.getByLabel("Password").fill(Api.PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                    .click();
            page.getByRole(AriaRole.HEADING).first().waitFor();
            assertTrue(page.getByRole(AriaRole.HEADING).first().textContent().contains("wants to access your account"));
            assertTrue(page.getByText("See your email address").isVisible());
            assertTrue(page.getByText("Stay connected").isVisible());
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("op-consent.png")));

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Allow"))
                    .click();
            page.waitForURL("http://localhost:8095/callback?**");
            Map<String, String> answer = query(page.url());
            assertNotNull(answer.get("code"));
            assertEquals("browser-state", answer.get("state"));
            assertNotNull(answer.get("iss"));
            assertTrue(context.cookies().stream().anyMatch(c -> c.name.equals("latch_session") && c.httpOnly));
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("op-landing.png")));

            // denied: the client hears access_denied
            page.navigate(authorizeUrl("latch-dev-spa", "deny-state") + "&prompt=consent");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deny"))
                    .click();
            page.waitForURL("http://localhost:8095/callback?**");
            assertEquals("access_denied", query(page.url()).get("error"));
        }
    }

    @Test
    void untrustedRequestShowsAnErrorPage() {
        try (Playwright playwright = Chromium.playwright();
                Browser browser = Chromium.launch(playwright)) {
            Page page = Chromium.localContext(browser, 15_000).newPage();
            var response =
                    page.navigate(authorizeUrl("latch-dev-spa", "s").replace("localhost%3A8095", "evil.example"));
            assertEquals(400, response.status());
            assertTrue(page.url().startsWith(auth.toString()), page.url());
            assertTrue(page.getByRole(AriaRole.ALERT).textContent().contains("not registered"));
            page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("op-error.png")));
        }
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
