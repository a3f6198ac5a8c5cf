package dev.latch.storage;

import dev.latch.common.testing.ResponseHeaders;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * With {@code latch.cors.origins} listing a page (the test configuration lists two; no test profile here,
 * so this JVM with its small heap runs one application only), that page and only it may call the API from
 * a browser, with credentials; health, metrics and OpenAPI are offered to no other origin. Without the
 * setting no origin is allowed (common's CorsOrigins; auth-service's CorsDefaultTest and the broker's
 * SecurityHeadersTest run without it).
 */
@QuarkusTest
class CorsAllowlistTest {

    static final String PAGE = "https://app.example.com";

    @Test
    void theListedPagesMayCallTheApi() {
        for (String path : new String[] {"/api/v1/attachments", "/api/v1/storage/settings"}) {
            ResponseHeaders.assertCorsAllowed(PAGE, path);
            ResponseHeaders.assertCorsAllowed("http://127.0.0.1:5173", path);
        }
    }

    @Test
    void anyOtherOriginAndTheManagementPathsGetNoCorsAnswer() {
        for (String path : new String[] {"/api/v1/attachments", "/api/v1/storage/settings"}) {
            ResponseHeaders.assertNoCorsFor("https://evil.example", path);
            ResponseHeaders.assertNoCorsFor("https://app.example.com.evil.example", path);
            ResponseHeaders.assertNoCorsFor("null", path);
        }
        ResponseHeaders.assertNoCorsFor(PAGE, "/q/health/ready");
        ResponseHeaders.assertNoCorsFor(PAGE, "/q/openapi");
    }
}
