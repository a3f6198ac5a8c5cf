package dev.latch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.e2e.harness.Http;
import dev.latch.e2e.harness.Latch;
import dev.latch.e2e.harness.Node;
import dev.latch.e2e.harness.SharedStack;
import dev.latch.e2e.harness.Stack;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5: clients no one here wrote. Node's {@code jose} verifies an access token knowing only the JWKS URL;
 * {@code openid-client} discovers the issuer, runs client_credentials and introspects a PAT. Both reach Latch through
 * the public entry, so the JWKS and discovery come from either replica.
 */
@ExtendWith(SharedStack.class)
@Order(5)
class ThirdPartyClientsIT {

    @Test
    void joseVerifiesAnAccessTokenWithTheRemoteJwksAndRefusesATamperedOne(Stack stack) throws Exception {
        Latch.Session session = new Latch(stack).newUser("jose");
        String jwks = stack.publicUrl().resolve("/.well-known/jwks.json").toString();

        JsonNode ok = Node.run("verify-access-token.mjs", jwks, stack.issuer(), "latch", session.accessToken());
        assertTrue(ok.path("ok").asBoolean(), ok.toString());
        assertEquals(session.userId(), ok.path("payload").path("sub").asText());
        assertEquals("USER", ok.path("payload").path("role").asText());
        assertEquals("at+jwt", ok.path("header").path("typ").asText());

        String[] parts = session.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replace("\"role\":\"USER\"", "\"role\":\"ADMIN\"");
        assertFalse(forged.equals(payload), "the payload names the role: " + payload);
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        JsonNode refused = Node.run("verify-access-token.mjs", jwks, stack.issuer(), "latch", tampered);
        assertFalse(refused.path("ok").asBoolean(), refused.toString());
        assertEquals(
                "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", refused.path("code").asText(), refused.toString());
    }

    @Test
    void openidClientDiscoversRunsClientCredentialsAndIntrospectsAPat(Stack stack) throws Exception {
        Latch latch = new Latch(stack);
        Latch.Session session = latch.newUser("oidc");
        String pat = latch.createPat(session.accessToken(), "third-party", "attachments:read")
                .token();
        Stack.Client client = stack.thirdPartyClient();

        JsonNode out = Node.run("oidc-client.mjs", stack.issuer(), client.id(), client.secret(), pat);
        assertEquals(stack.issuer(), out.path("issuer").asText(), out.toString());
        JsonNode grant = out.path("grant");
        assertTrue(grant.path("token_type").asText().equalsIgnoreCase("bearer"), grant.toString());
        assertTrue(grant.path("expires_in").asLong() > 0, grant.toString());
        JsonNode pi = out.path("introspection");
        assertTrue(pi.path("active").asBoolean(), pi.toString());
        assertEquals(session.userId(), pi.path("sub").asText(), pi.toString());
        assertEquals("attachments:read", pi.path("scope").asText(), pi.toString());
        JsonNode own = out.path("ownTokenIntrospection");
        assertTrue(own.path("active").asBoolean(), own.toString());
        assertEquals(client.id(), own.path("client_id").asText(), own.toString());
    }

    @Test
    void openidClientRunsWithAClientAnAdminRegisteredThroughTheApi(Stack stack) throws Exception {
        Latch latch = new Latch(stack);
        Http.Answer registered = Http.postJson(
                stack.publicUrl(),
                "/v1/oauth-clients",
                java.util.Map.of(
                        "name",
                        "e2e reporting job",
                        "type",
                        "confidential",
                        "grantTypes",
                        java.util.List.of("client_credentials"),
                        "scopes",
                        java.util.List.of("tokens:introspect")),
                latch.admin().accessToken());
        assertEquals(201, registered.status(), registered.toString());
        String id = registered.json().path("clientId").asText();
        String secret = registered.json().path("clientSecret").asText();
        dev.latch.common.testing.SecretLedger.record("registered client secret", secret);
        Latch.Session session = latch.newUser("registered");
        String pat = latch.createPat(session.accessToken(), "registered client", "profile:read")
                .token();

        JsonNode out = Node.run("oidc-client.mjs", stack.issuer(), id, secret, pat);
        assertTrue(out.path("introspection").path("active").asBoolean(), out.toString());
        assertEquals(id, out.path("ownTokenIntrospection").path("client_id").asText(), out.toString());
    }
}
