package dev.latch.example;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * auth-service answers {@code "scope": ""} for a PAT without scopes (and for a refresh token), which
 * quarkus-oidc turns into an empty permission name and a 500; an empty scope is no scope.
 */
@Unremovable // quarkus-oidc looks filters up at run time
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.INTROSPECTION)
public class EmptyScope implements OidcResponseFilter {

    @Override
    public Uni<Void> filter(OidcResponseFilterContext context) {
        if (context.statusCode() == 200 && context.responseBody() != null) {
            JsonObject answer = context.responseBody().toJsonObject();
            if ("".equals(answer.getValue("scope"))) {
                answer.remove("scope");
                context.responseBody(Buffer.buffer(answer.encode()));
            }
        }
        return Uni.createFrom().voidItem();
    }
}
