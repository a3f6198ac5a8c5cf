package dev.latch.idp.linking;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link EmailLinkingTest} against the packaged application. */
@QuarkusIntegrationTest
class EmailLinkingIT extends EmailLinkingTest {}
