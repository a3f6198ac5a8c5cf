package dev.latch.auth.key;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link KeyRotationTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class KeyRotationIT extends KeyRotationTest {}
