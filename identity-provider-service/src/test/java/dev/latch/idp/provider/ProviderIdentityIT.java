package dev.latch.idp;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ProviderIdentityTest} against the packaged application. */
@QuarkusIntegrationTest
class ProviderIdentityIT extends ProviderIdentityTest {}
