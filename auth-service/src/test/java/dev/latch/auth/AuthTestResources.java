package dev.latch.auth;

import dev.latch.common.testing.PostgresDatabaseResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** The real servers every auth-service test runs against: the machine's PostgreSQL (database created if missing). */
@WithTestResource(
        value = PostgresDatabaseResource.class,
        scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "latch_auth_test"))
public final class AuthTestResources {
    private AuthTestResources() {}
}
