package dev.latch.storage;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.PostgresDatabaseResource;
import dev.latch.common.testing.S3ProxyResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Real servers for storage tests: PostgreSQL (database created if missing), S3Proxy with V4 signature
 * checks, and auth-service at its contract (JWKS, introspection) for bearer tokens and PATs.
 */
@WithTestResource(
        value = PostgresDatabaseResource.class,
        scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "latch_storage_test"))
@WithTestResource(value = S3ProxyResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = AuthServerStub.class, scope = TestResourceScope.GLOBAL)
public final class StorageTestResources {
    private StorageTestResources() {}
}
