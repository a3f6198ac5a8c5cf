package dev.latch.idp.provider;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ProviderIdentityTest} against the packaged application. */
@QuarkusIntegrationTest
class ProviderIdentityIT extends ProviderIdentityTest {}
