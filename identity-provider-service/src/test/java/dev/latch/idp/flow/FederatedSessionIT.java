package dev.latch.idp.flow;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link FederatedSessionTest} against the packaged application. */
@QuarkusIntegrationTest
class FederatedSessionIT extends FederatedSessionTest {}
