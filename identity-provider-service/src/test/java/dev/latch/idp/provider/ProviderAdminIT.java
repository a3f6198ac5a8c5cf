package dev.latch.idp.provider;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ProviderAdminTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class ProviderAdminIT extends ProviderAdminTest {}
