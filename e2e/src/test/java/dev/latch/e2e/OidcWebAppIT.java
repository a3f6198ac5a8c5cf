package dev.latch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.latch.common.testing.Chromium;
import dev.latch.common.testing.SecretLedger;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Replica;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 9: a Quarkus web application that is not Latch signs its users in through Latch. The example under
 * {@code examples/oidc-web-app/} ({@code quarkus-oidc} in {@code web-app} mode, configured as auth-service's README
 * shows, with the issuer, client id and secret from the environment) is started from its packaged jar with a
 * confidential client an ADMIN registered through {@code /v1/oauth-clients}. Chromium opens its protected page, signs
 * in on Latch's login page, allows on the consent page, and sees the username quarkus-oidc read from the ID token.
 */
@ExtendWith(SharedStack.class)
@Order(9)
class OidcWebAppIT {

    private static Replica app;
    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void start(Stack stack) throws Exception {
        Chromium.require();
        int port = Stack.freePort();
        String base = "http://127.0.0.1:" + port;
        Http.Answer registered = Http.postJson(
                stack.publicUrl(),
                "/v1/oauth-clients",
                Map.of(
                        "name", "e2e Quarkus web app",
                        "type", "confidential",
                        "redirectUris", List.of(base + "/"),
                        "postLogoutRedirectUris", List.of(base + "/"),
                        "grantTypes", List.of("authorization_code", "refresh_token"),
                        "scopes", List.of("openid", "profile", "email")),
                new Latch(stack).admin().accessToken());
        assertEquals(201, registered.status(), registered.toString());
        String secret = registered.json().path("clientSecret").asText();
        SecretLedger.record("registered client secret", secret);
        app = new Replica(
                        "oidc-web-app",
                        Stack.ROOT.resolve("examples/oidc-web-app/target/quarkus-app/quarkus-run.jar"),
                        port,
                        Map.of(
                                "LATCH_ISSUER", stack.issuer(),
                                "LATCH_CLIENT_ID",
                                        registered.json().path("clientId").asText(),
                                "LATCH_CLIENT_SECRET", secret),
                        stack.logs().resolve("oidc-web-app.log"),
                        List.of("-Xmx128m"))
                // no health checks (every path needs a login): listening means a browser is sent to Latch
                .readyWhen("/", 302);
        app.start();
        app.awaitReady();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        try {
            if (browser != null) {
                browser.close();
            }
            if (playwright != null) {
                playwright.close();
            }
        } finally {
            if (app != null) {
                app.stop();
            }
        }
    }

    @Test
    void aUserSignsInThroughLatchAndThePageShowsTheUsernameFromTheIdToken(Stack stack) throws Exception {
        Latch latch = new Latch(stack);
        String username = Latch.username("webapp");
        String password = Stack.secret("user password", 15);
        latch.signUp(username, password);
        try (BrowserContext context = Chromium.localContext(browser, 30_000)) {
            Page page = context.newPage();
            page.navigate(app.url() + "/");
            page.waitForURL(url -> url.startsWith(stack.publicUrl() + "/login"));
            OpenIdProviderIT.signIn(page, stack.publicUrl().toString(), username, password);
            page.waitForSelector("button[name=decision][value=allow]");
            page.getByRole(
                            AriaRole.BUTTON,
                            new Page.GetByRoleOptions().setName("Allow").setExact(true))
                    .click();
            page.waitForURL(url -> url.startsWith(app.url().toString()));
            page.waitForSelector("#username");
            Files.createDirectories(Chromium.SCREENSHOTS);
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Chromium.SCREENSHOTS.resolve("oidc-web-app.png"))
                    .setFullPage(true));
            assertEquals(username, page.textContent("#username"));
            assertTrue(
                    context.cookies().stream().anyMatch(c -> c.name.equals("q_session")),
                    "quarkus-oidc's session cookie: " + context.cookies());
        }
    }
}
