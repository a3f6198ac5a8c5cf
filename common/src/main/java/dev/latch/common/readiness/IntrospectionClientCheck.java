package dev.latch.common.readiness;

import dev.latch.common.auth.LatchJwtConfig;
import dev.latch.common.readiness.ProductionReadinessCheck.Finding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;

/**
 * Every service that resolves PATs authenticates at auth-service's introspection endpoint: with the
 * documented development client secret there, anyone who read the README could use that client.
 */
@ApplicationScoped
public class IntrospectionClientCheck {

    /** The client secrets the README documents for local runs. */
    public static final List<String> DEV_SECRETS =
            List.of("latch-dev-secret", "latch-idp-secret", "latch-dev-web-secret");

    @Produces
    ProductionReadinessCheck introspectionClient(LatchJwtConfig config) {
        return () -> {
            LatchJwtConfig.Introspection client = config.introspection();
            if (client.url().isEmpty()) {
                return List.of();
            }
            if (client.clientId().filter(s -> !s.isBlank()).isEmpty()
                    || client.clientSecret().filter(s -> !s.isBlank()).isEmpty()) {
                return List.of(Finding.severe(
                        "introspection-client",
                        "Set LATCH_JWT_INTROSPECTION_CLIENT_ID and "
                                + "LATCH_JWT_INTROSPECTION_CLIENT_SECRET: a client of auth-service with the scope tokens:introspect, "
                                + "used to resolve personal access tokens."));
            }
            return client.clientSecret().filter(DEV_SECRETS::contains).isPresent()
                    ? List.of(Finding.severe(
                            "dev-introspection-secret",
                            "The PAT introspection client uses a documented "
                                    + "development secret: set LATCH_JWT_INTROSPECTION_CLIENT_ID and LATCH_JWT_INTROSPECTION_CLIENT_SECRET "
                                    + "to a client of auth-service with the scope tokens:introspect."))
                    : List.of();
        };
    }
}
