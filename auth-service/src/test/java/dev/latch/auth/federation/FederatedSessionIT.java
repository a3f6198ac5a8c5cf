package dev.latch.auth.federation;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link FederatedSessionTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class FederatedSessionIT extends FederatedSessionTest {}
