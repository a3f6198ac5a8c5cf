package dev.latch.auth;

import dev.latch.common.testing.ResponseHeaders;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Every answer carries X-Content-Type-Options: nosniff, health and 404s included. */
@QuarkusTest
class NoSniffTest {

    @Test
    void everyKindOfAnswerCarriesNoSniffOnce() {
        ResponseHeaders.assertNoSniffEverywhere("/.well-known/jwks.json", "/v1/users/me");
    }
}
