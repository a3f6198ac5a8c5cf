package dev.latch.idp;

import dev.latch.common.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged identity-provider-service's OpenAPI document lists every answer its tests observed; Swagger UI is served. */
@QuarkusIntegrationTest
class OpenApiContractIT extends OpenApiContract {}
