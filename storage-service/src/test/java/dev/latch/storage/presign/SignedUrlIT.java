package dev.latch.storage.presign;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SignedUrlTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class SignedUrlIT extends SignedUrlTest {}
