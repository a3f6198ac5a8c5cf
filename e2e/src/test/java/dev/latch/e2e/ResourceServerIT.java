package dev.latch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Replica;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 6: an internal service that is not Latch. The example under {@code examples/resource-server/} (only
 * {@code quarkus-oidc}, configured with the README's "verifying Latch tokens" block, which a test there keeps equal
 * to the README) is started from its packaged jar like the services, pointed at auth-service's balancer by the
 * environment only. It accepts a Latch access token under {@code @RolesAllowed("USER")} and a PAT by introspection,
 * and refuses an expired token signed with Latch's own key and a token signed with a foreign key.
 */
@ExtendWith(SharedStack.class)
@Order(6)
class ResourceServerIT {

    private static Replica example;

    @BeforeAll
    static void start(Stack stack) throws Exception {
        example = new Replica(
                        "resource-server",
                        Stack.ROOT.resolve("examples/resource-server/target/quarkus-app/quarkus-run.jar"),
                        Stack.freePort(),
                        Map.of(
                                "QUARKUS_OIDC_AUTH_SERVER_URL",
                                        stack.serviceUrl(Stack.AUTH).toString(),
                                "QUARKUS_OIDC_TOKEN_ISSUER", stack.issuer(),
                                "LATCH_INTROSPECTION_CLIENT_SECRET",
                                        stack.introspectionClient().secret()),
                        stack.logs().resolve("resource-server.log"),
                        List.of("-Xmx128m"))
                // it has no health checks: listening means a bearer-less request is refused
                .readyWhen("/hello", 401);
        example.start();
        example.awaitReady();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (example != null) {
            example.stop();
        }
    }

    @Test
    void acceptsALatchAccessTokenAndAPatAndRefusesExpiredAndForeignTokens(Stack stack) throws Exception {
        Latch latch = new Latch(stack);
        String username = Latch.username("rs");
        String password = Stack.secret("user password", 15);
        latch.signUp(username, password);
        Latch.Session session = latch.signIn(username, password);

        Http.Answer hello = Http.get(example.url(), "/hello", session.accessToken());
        assertEquals(200, hello.status(), hello.toString());
        assertEquals(username, hello.body());

        Latch.Pat pat = latch.createPat(session.accessToken(), "resource server", "attachments:read");
        Http.Answer withPat = Http.get(example.url(), "/attachments", pat.token());
        assertEquals(200, withPat.status(), withPat.toString());
        assertEquals("attachments of " + username, withPat.body());

        // the same token, expired ten minutes ago, signed with Latch's own key (same kid)
        String[] parts = session.accessToken().split("\\.");
        Map<String, Object> claims = Http.JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
        long now = Instant.now().getEpochSecond();
        claims.put("iat", now - 1500);
        claims.put("exp", now - 600);
        String expired = sign(parts[0], claims, latchKey(stack));
        Http.Answer refusedExpired = Http.get(example.url(), "/hello", expired);
        assertEquals(401, refusedExpired.status(), "an expired Latch token: " + refusedExpired);

        // an otherwise valid token from a key that is not Latch's
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String foreign = sign(
                parts[0],
                Http.JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class),
                generator.generateKeyPair().getPrivate());
        Http.Answer refusedForeign = Http.get(example.url(), "/hello", foreign);
        assertEquals(401, refusedForeign.status(), "a token signed with a foreign key: " + refusedForeign);

        // and the genuine token still passes: the refusals were about the tokens, not the service
        assertEquals(
                200, Http.get(example.url(), "/hello", session.accessToken()).status());
    }

    private static PrivateKey latchKey(Stack stack) throws Exception {
        String pem = Files.readString(stack.signingKey(), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    /** A compact RS256 JWS of {@code claims} under the given (base64url) header. */
    private static String sign(String header, Map<String, Object> claims, PrivateKey key) throws Exception {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(Http.JSON.writeValueAsBytes(claims));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
    }
}
