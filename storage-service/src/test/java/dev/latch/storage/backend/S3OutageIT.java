package dev.latch.storage.backend;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link S3OutageTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class S3OutageIT extends S3OutageTest {}
