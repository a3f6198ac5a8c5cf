package dev.latch.idp.flow;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link GitHubFlowTest} against the packaged application (the jar here, the native binary in the native workflow). */
@QuarkusIntegrationTest
class GitHubFlowIT extends GitHubFlowTest {}
