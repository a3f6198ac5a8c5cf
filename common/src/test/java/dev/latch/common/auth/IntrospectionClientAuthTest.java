package dev.latch.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.security.PersonalAccessTokens;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The introspection client's credentials go in the Basic header form-encoded first (RFC 6749 §2.3.1), as
 * auth-service decodes them: a secret made by {@code openssl rand -base64 32} holds '+', '/' and '='.
 */
class IntrospectionClientAuthTest {

    @Test
    void aSecretWithFormSpecialCharactersReachesTheServerIntact() throws Exception {
        String clientId = "svc:storage+1";
        String secret = "q+Zr/9kL= x%2B&y";
        try (LocalJsonServer server = new LocalJsonServer("/introspect", form -> "{\"active\":true,\"sub\":\"u1\"}")) {
            PatResolver resolver = new IntrospectionPatResolver(
                    TestJwtConfig.introspection(server.url(), 20, 10, clientId, secret), new ObjectMapper());
            assertTrue(resolver.resolve(PersonalAccessTokens.generate()).isPresent());

            String header = server.lastAuthorization();
            assertTrue(header.startsWith("Basic "), header);
            String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            assertEquals(clientId, URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8));
            assertEquals(secret, URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
        }
    }
}
