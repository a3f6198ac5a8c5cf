package dev.latch.auth;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RefreshConcurrencyTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class RefreshConcurrencyIT extends RefreshConcurrencyTest {}
