package dev.latch.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latch.common.testing.Chromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker's landing page (its real files, from the identity-provider-service module) on another origin
 * of the same site, against this real auth-service, in a real browser (the machine's Chromium, driven by
 * Playwright) — the local run's arrangement. With the page's origin in {@code latch.cors.origins} the browser
 * holding a session cookie is shown "Signed in as …" and signs out for real; a page on an unlisted origin
 * gets nothing (the browser's CORS check fails, auth-service's guard refuses), so it shows no session.
 * Screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@TestProfile(LandingPageBrowserTest.BrokerPageListed.class)
class LandingPageBrowserTest {

    public static class BrokerPageListed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latch.cors.origins", "http://localhost:" + port(LISTED) + ",http://127.0.0.1:" + port(LISTED));
        }
    }

    private static final String LISTED = "latch.test.page-port.listed";
    private static final String UNLISTED = "latch.test.page-port.unlisted";
    private static final Path SHOTS = Chromium.SCREENSHOTS;
    private static final Path ASSETS =
            Paths.get("..", "identity-provider-service", "src", "main", "resources", "META-INF", "resources");

    static int port(String name) {
        return Chromium.port(name);
    }

    private static HttpServer listedPage;
    private static HttpServer unlistedPage;

    @TestHTTPResource("/")
    URL auth;

    @BeforeAll
    static void requirements() {
        Chromium.require();
        Chromium.require(
                Files.isRegularFile(ASSETS.resolve("index.html"))
                        ? null
                        : "the broker's page is not at " + ASSETS.toAbsolutePath());
    }

    @AfterAll
    static void stopPages() {
        for (HttpServer s : new HttpServer[] {listedPage, unlistedPage}) {
            if (s != null) {
                s.stop(0);
            }
        }
    }

    /** The broker's page files, its list of providers and its config answer naming this auth-service. */
    private static HttpServer pageServer(int port, String authServiceUrl) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/landing/config.json" ->
                    send(
                            ex,
                            200,
                            "application/json",
                            ("{\"authServiceUrl\":\"" + authServiceUrl + "\"}").getBytes(StandardCharsets.UTF_8));
                case "/v1/identity-providers" ->
                    send(
                            ex,
                            200,
                            "application/json",
                            "{\"items\":[{\"id\":\"dev\",\"title\":\"Local OIDC provider\",\"startUrl\":\"/v1/auth/oauth/dev/start\"}],\"nextPageToken\":null}"
                                    .getBytes(StandardCharsets.UTF_8));
                default -> {
                    Path file = ASSETS.resolve(path.equals("/") ? "index.html" : path.substring(1))
                            .normalize();
                    if (!file.startsWith(ASSETS.normalize()) || !Files.isRegularFile(file)) {
                        send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    String name = file.getFileName().toString();
                    String type = name.endsWith(".html")
                            ? "text/html; charset=utf-8"
                            : name.endsWith(".js")
                                    ? "text/javascript"
                                    : name.endsWith(".css")
                                            ? "text/css"
                                            : name.endsWith(".svg")
                                                    ? "image/svg+xml"
                                                    : name.endsWith(".ico")
                                                            ? "image/x-icon"
                                                            : "application/octet-stream";
                    send(ex, 200, type, Files.readAllBytes(file));
                }
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Test
    void listedPageShowsTheSessionAndSignsOutUnlistedPageGetsNothing() throws Exception {
        Files.createDirectories(SHOTS);
        String authBase = "http://localhost:" + auth.getPort();
        listedPage = pageServer(port(LISTED), authBase);
        unlistedPage = pageServer(port(UNLISTED), authBase);
        String page = "http://localhost:" + port(LISTED) + "/";
        String otherPage = "http://localhost:" + port(UNLISTED) + "/";

        String username = Api.uniqueName("browser");
        Api.signUp(username);
        String refresh = Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .cookie("latch_refresh");
        assertNotNull(refresh);

        List<String> failedAnswers = new CopyOnWriteArrayList<>();
        List<String> consoleErrors = new CopyOnWriteArrayList<>();
        List<String> scriptErrors = new CopyOnWriteArrayList<>();
        try (Playwright playwright = Chromium.playwright();
                Browser browser = Chromium.launch(playwright)) {
            BrowserContext context = Chromium.localContext(browser, 20_000);
            // the cookie the broker's callback would have set (host-only, for localhost, any port)
            context.addCookies(List.of(new Cookie("latch_refresh", refresh)
                    .setDomain("localhost")
                    .setPath("/v1/auth")
                    .setHttpOnly(true)
                    .setSecure(true)
                    .setSameSite(SameSiteAttribute.LAX)));
            Page tab = context.newPage();
            tab.onResponse(r -> {
                if (r.status() >= 400) {
                    failedAnswers.add(r.status() + " " + r.url());
                }
            });
            tab.onConsoleMessage(m -> {
                if ("error".equals(m.type()) && tab.url().startsWith(page)) {
                    consoleErrors.add(m.text() + " @ " + m.location());
                }
            });
            tab.onPageError(scriptErrors::add);

            // a page of an unlisted origin: auth-service gives it nothing, the session stays as it was
            tab.navigate(otherPage);
            Locator otherStatus = tab.locator("#status");
            tab.waitForFunction("document.getElementById('status').textContent.indexOf('could not be checked') >= 0");
            assertFalse(tab.locator("#signed-in").isVisible());
            assertTrue(otherStatus.textContent().contains("could not be checked"), otherStatus.textContent());
            // (its refused preflight is not the listed page's business)
            failedAnswers.clear();

            // the listed page: signed in as this user
            tab.navigate(page);
            tab.locator("#signed-in").waitFor();
            assertEquals("Signed in as", tab.locator(".account-label").textContent());
            assertEquals(username, tab.locator("#account-name").textContent());
            tab.screenshot(
                    new Page.ScreenshotOptions().setPath(SHOTS.resolve("landing-signed-in-real-auth-service.png")));
            // the refresh rotated the cookie in the browser
            String rotated = context.cookies("http://localhost:" + auth.getPort() + "/v1/auth/refresh").stream()
                    .filter(c -> c.name.equals("latch_refresh"))
                    .findFirst()
                    .orElseThrow()
                    .value;
            assertFalse(rotated.equals(refresh), "rotated");

            // sign out: the session ends at auth-service and the cookie is gone
            tab.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))
                    .click();
            tab.locator("#providers").waitFor();
            assertEquals("You are signed out.", tab.locator("#notice-text").textContent());
            tab.screenshot(
                    new Page.ScreenshotOptions().setPath(SHOTS.resolve("landing-signed-out-real-auth-service.png")));
            assertTrue(
                    context.cookies("http://localhost:" + auth.getPort() + "/v1/auth/refresh").stream()
                            .noneMatch(c -> c.name.equals("latch_refresh")),
                    "cookie cleared");
            tab.reload();
            tab.locator("#providers").waitFor();
            assertFalse(tab.locator("#signed-in").isVisible());
        }
        io.restassured.RestAssured.given()
                .cookie("latch_refresh", refresh)
                .post("/v1/auth/refresh")
                .then()
                .statusCode(401);

        assertTrue(failedAnswers.stream().noneMatch(a -> a.startsWith("404 ")), failedAnswers.toString());
        // the listed page meets one failure: the refresh after signing out (401, "not signed in")
        assertTrue(
                failedAnswers.stream().allMatch(a -> a.startsWith("401 ") && a.endsWith("/v1/auth/refresh")),
                failedAnswers.toString());
        assertTrue(
                consoleErrors.stream().allMatch(e -> e.contains("401") && e.contains("/v1/auth/refresh")),
                consoleErrors.toString());
        assertTrue(scriptErrors.isEmpty(), scriptErrors.toString());
    }
}
