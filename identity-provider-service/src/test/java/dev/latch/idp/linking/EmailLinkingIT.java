package dev.latch.idp;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link EmailLinkingTest} against the packaged application. */
@QuarkusIntegrationTest
class EmailLinkingIT extends EmailLinkingTest {}
