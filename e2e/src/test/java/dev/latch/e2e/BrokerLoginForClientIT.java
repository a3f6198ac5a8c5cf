package dev.latch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import dev.latch.common.testing.Chromium;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 10: the OpenID Provider's login through the broker. A client's authorization request shows Latch's login
 * page, whose button for the broker's provider (mock-oauth2-server, which signs the user in without a form) runs the
 * broker's login and comes back through {@code /v1/auth/federated/continue} to finish the request: the client gets a
 * code, and the ID token says the user authenticated through a provider ({@code amr: fed}). All through the public
 * entry, in Chromium; the client's redirect URI is answered by the browser context (nothing listens there).
 */
@ExtendWith(SharedStack.class)
@Order(10)
class BrokerLoginForClientIT {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    @Test
    void aProviderLoginAtTheLoginPageFinishesTheAuthorizationRequest(Stack stack) throws Exception {
        Latch latch = new Latch(stack);
        // registers the broker's provider "mock" (once per stack), and proves it signs users in
        latch.federatedLoginThroughMockProvider();
        Http.Answer registered = Http.postJson(
                stack.publicUrl(),
                "/v1/oauth-clients",
                Map.of(
                        "name",
                        "e2e broker-login app",
                        "type",
                        "confidential",
                        "redirectUris",
                        List.of(REDIRECT),
                        "grantTypes",
                        List.of("authorization_code"),
                        "scopes",
                        List.of("openid", "profile"),
                        "firstParty",
                        true),
                latch.admin().accessToken());
        assertEquals(201, registered.status(), registered::toString);
        String clientId = registered.json().path("clientId").asText();
        String secret = registered.json().path("clientSecret").asText();
        dev.latch.common.testing.SecretLedger.record("client secret", secret);

        String verifier = "e2e-broker-login-verifier-0123456789-0123456789";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", REDIRECT);
        p.put("scope", "openid profile");
        p.put("state", "broker-state");
        p.put("nonce", "broker-nonce");
        p.put("code_challenge", challenge(verifier));
        p.put("code_challenge_method", "S256");
        String authorize = stack.publicUrl() + "/oauth2/authorize?"
                + p.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));

        Chromium.require();
        String landing;
        try (Playwright playwright = Chromium.playwright();
                Browser browser = Chromium.launch(playwright);
                BrowserContext context = Chromium.localContext(browser, 30_000)) {
            context.route(
                    REDIRECT + "**",
                    route -> route.fulfill(new Route.FulfillOptions()
                            .setStatus(200)
                            .setContentType("text/html")
                            .setBody("<!doctype html><title>Client</title><h1>Client landing</h1>")));
            Page page = context.newPage();
            // each replica reads the broker's provider list at most every 30 s (broker-cache-ttl): a replica that
            // read it before the provider was registered shows its button within that bound
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(45);
            while (true) {
                page.navigate(authorize);
                page.waitForURL(url -> url.startsWith(stack.publicUrl() + "/login"));
                if (page.getByText("Sign in with Mock OIDC").count() > 0 || System.nanoTime() > deadline) {
                    break;
                }
                page.waitForTimeout(1000);
            }
            Files.createDirectories(Chromium.SCREENSHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("op-broker-login.png")));
            page.getByText("Sign in with Mock OIDC").click();
            page.waitForURL(url -> url.startsWith(REDIRECT));
            landing = page.url();
        }
        Map<String, String> answer = query(landing);
        assertEquals("broker-state", answer.get("state"), landing);
        assertEquals(stack.issuer(), answer.get("iss"), landing);
        assertTrue(answer.containsKey("code"), landing);

        Http.Answer tokens = Http.postForm(
                stack.publicUrl(),
                "/oauth2/token",
                Map.of(
                        "grant_type",
                        "authorization_code",
                        "code",
                        answer.get("code"),
                        "redirect_uri",
                        REDIRECT,
                        "code_verifier",
                        verifier),
                clientId,
                secret);
        assertEquals(200, tokens.status(), tokens::toString);
        JsonNode id = Http.claims(tokens.json().path("id_token").asText());
        assertEquals(
                clientId,
                id.path("aud").isArray()
                        ? id.path("aud").get(0).asText()
                        : id.path("aud").asText());
        assertEquals("broker-nonce", id.path("nonce").asText(), id.toString());
        assertEquals("fed", id.path("amr").get(0).asText(), "a login through the broker: " + id);
    }

    private static String challenge(String verifier) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = URI.create(url).getRawQuery();
        for (String pair : q == null ? new String[0] : q.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
