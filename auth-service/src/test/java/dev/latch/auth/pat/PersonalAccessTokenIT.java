package dev.latch.auth.pat;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link PersonalAccessTokenTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class PersonalAccessTokenIT extends PersonalAccessTokenTest {}
