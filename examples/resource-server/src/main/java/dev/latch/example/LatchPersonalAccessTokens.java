package dev.latch.example;

import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * quarkus-oidc takes only the scopes from an introspection answer. Latch's answer also says what the
 * token is and its owner's role: a PAT gets that role; any other opaque token (a refresh token) is refused.
 */
@ApplicationScoped
public class LatchPersonalAccessTokens implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        TokenIntrospection introspection = identity.getAttribute("introspection");
        if (introspection == null) {
            return Uni.createFrom().item(identity); // anonymous, or a JWT verified offline
        }
        if (!"personal_access_token".equals(introspection.getString("token_use"))) {
            return Uni.createFrom().failure(new AuthenticationFailedException("Not a personal access token"));
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        String role = introspection.getString("role");
        if (role != null) {
            builder.addRole(role);
        }
        return Uni.createFrom().item(builder.build());
    }
}
