package dev.latch.auth;

import dev.latch.common.testing.ObservedResponses;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Part of every @QuarkusTest application of auth-service: records its answers for {@link OpenApiContractIT}. */
@Singleton
class ObservedResponsesRecorder {

    void record(@Observes Filters filters) {
        ObservedResponses.register(filters);
    }
}
