package dev.latch.auth.session;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AuthFlowTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class AuthFlowIT extends AuthFlowTest {}
