package dev.latch.auth.oauth2;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OAuth2EndpointsTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class OAuth2EndpointsIT extends OAuth2EndpointsTest {}
