package dev.latch.idp.linking;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client-credentials token request gets the read timeout of the session request: quarkus-oidc-client has
 * none, and the REST client's filter shares one pending token request between all logins, so an auth-service
 * that accepts the connection and never answers would otherwise hold every login until the connection dies.
 */
@ApplicationScoped
@Unremovable
@OidcEndpoint(OidcEndpoint.Type.TOKEN)
public class TokenRequestDeadline implements OidcRequestFilter {

    private final long timeoutMillis;

    public TokenRequestDeadline(
            @ConfigProperty(name = "quarkus.rest-client.auth-service.read-timeout") long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Uni<Void> filter(OidcRequestFilterContext requestContext) {
        requestContext.request().idleTimeout(timeoutMillis);
        return Uni.createFrom().voidItem();
    }
}
