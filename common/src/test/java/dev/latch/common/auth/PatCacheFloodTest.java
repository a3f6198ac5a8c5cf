package dev.latch.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.security.PersonalAccessTokens;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Well-formed fake PATs must not push the answers for real PATs out of the introspection cache. */
class PatCacheFloodTest {

    private LocalJsonServer server;
    private final String realPat = PersonalAccessTokens.generate();
    private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = new LocalJsonServer("/introspect", form -> {
            String token =
                    URLDecoder.decode(form.substring("token=".length(), form.indexOf('&')), StandardCharsets.UTF_8);
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            return token.equals(realPat)
                    ? "{\"active\":true,\"sub\":\"u1\",\"scope\":\"attachments:read\"}"
                    : "{\"active\":false}";
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void realPatStaysCachedWhileFakesFloodTheCache() {
        PatResolver resolver = new IntrospectionPatResolver(config(), new ObjectMapper());
        for (int i = 0; i < 60; i++) {
            assertTrue(resolver.resolve(PersonalAccessTokens.generate()).isEmpty());
        }
        assertEquals("u1", resolver.resolve(realPat).orElseThrow().getClaimValueAsString("sub"));
        for (int i = 0; i < 60; i++) {
            resolver.resolve(PersonalAccessTokens.generate());
            assertTrue(resolver.resolve(realPat).isPresent());
        }
        assertEquals(1, calls.get(realPat).get(), "the real PAT is introspected once per cache lifetime");
        // callers decorate the claims they get; the cached answer stays as auth-service gave it
        resolver.resolve(realPat).orElseThrow().setClaim("groups", List.of("ADMIN"));
        assertEquals(null, resolver.resolve(realPat).orElseThrow().getClaimValue("groups"));
    }

    private LatchJwtConfig config() {
        return TestJwtConfig.introspection(server.url(), 20, 10);
    }
}
