package dev.latch.idp;

import dev.latch.common.testing.ResponseHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code latch.cors.origins} listing a page, that page (and only it) may call the API from a browser,
 * with credentials; health, metrics and OpenAPI are offered to no other origin. Without it (the default,
 * see SecurityHeadersTest) no origin is allowed.
 */
@QuarkusTest
@TestProfile(CorsAllowlistTest.OnePage.class)
class CorsAllowlistTest {

    static final String PAGE = "https://app.example.com";

    public static class OnePage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.cors.origins", PAGE + ", http://127.0.0.1:5173");
        }
    }

    @Test
    void theListedPagesMayCallTheApi() {
        for (String path : new String[] {"/v1/identity-providers", "/v1/auth/oauth/dev/token"}) {
            ResponseHeaders.assertCorsAllowed(PAGE, path);
            ResponseHeaders.assertCorsAllowed("http://127.0.0.1:5173", path);
        }
    }

    @Test
    void anyOtherOriginAndTheManagementPathsGetNoCorsAnswer() {
        for (String path : new String[] {"/v1/identity-providers", "/v1/auth/oauth/dev/token"}) {
            ResponseHeaders.assertNoCorsFor("https://evil.example", path);
            ResponseHeaders.assertNoCorsFor("https://app.example.com.evil.example", path);
            ResponseHeaders.assertNoCorsFor("null", path);
        }
        ResponseHeaders.assertNoCorsFor(PAGE, "/q/health/ready");
        ResponseHeaders.assertNoCorsFor(PAGE, "/q/openapi");
    }
}
