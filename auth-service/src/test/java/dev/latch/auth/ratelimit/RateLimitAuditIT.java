package dev.latch.auth.ratelimit;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RateLimitAuditTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class RateLimitAuditIT extends RateLimitAuditTest {}
