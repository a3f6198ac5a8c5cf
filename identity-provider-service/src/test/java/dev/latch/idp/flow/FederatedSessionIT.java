package dev.latch.idp;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link FederatedSessionTest} against the packaged application. */
@QuarkusIntegrationTest
class FederatedSessionIT extends FederatedSessionTest {}
