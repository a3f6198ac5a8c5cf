package dev.latch.idp;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.MockOidcServerResource;
import dev.latch.common.testing.PostgresDatabaseResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real servers for the broker's tests: PostgreSQL (database created if missing) an in-process OIDC provider, GitHub emulated by WireMock, and auth-service stubbed at its contract. */
@WithTestResource(
        value = PostgresDatabaseResource.class,
        scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "latch_idp_test"))
@WithTestResource(value = MockOidcServerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AuthServerStub.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GitHubWireMock.class, scope = TestResourceScope.GLOBAL)
public final class IdpTestResources {
    private IdpTestResources() {}
}
