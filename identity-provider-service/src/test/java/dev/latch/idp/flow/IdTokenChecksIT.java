package dev.latch.idp.flow;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link IdTokenChecksTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class IdTokenChecksIT extends IdTokenChecksTest {}
