package dev.latch.auth;

import dev.latch.common.testing.OpenApiContract;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The packaged auth-service's OpenAPI document lists every answer its tests observed; Swagger UI is served. */
@QuarkusIntegrationTest
class OpenApiContractIT extends OpenApiContract {}
