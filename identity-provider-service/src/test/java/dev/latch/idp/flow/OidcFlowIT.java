package dev.latch.idp.flow;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OidcFlowTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class OidcFlowIT extends OidcFlowTest {}
