package dev.latch.auth.oauth2.grant;

import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.OAuthException;
import dev.latch.auth.token.AccessTokenIssuer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;

/** RFC 6749 §4.4: a confidential client gets an access token for itself, within the scopes it is allowed. */
@ApplicationScoped
public class ClientCredentialsGrant implements Grant {

    private final AccessTokenIssuer accessTokens;

    public ClientCredentialsGrant(AccessTokenIssuer accessTokens) {
        this.accessTokens = accessTokens;
    }

    @Override
    public String type() {
        return "client_credentials";
    }

    @Override
    public TokenResponse grant(Request request) {
        ClientRegistry.Client client = request.client().require();
        if (!client.allows(type())) {
            throw OAuthException.unauthorizedClient(type());
        }
        String scope = request.form().get("scope");
        List<String> requested = scope == null || scope.isBlank()
                ? client.scopes()
                : Arrays.asList(scope.trim().split("\\s+"));
        if (!client.scopes().containsAll(requested)) {
            throw OAuthException.invalidScope("The client may not request these scopes.");
        }
        AccessTokenIssuer.Issued issued = accessTokens.forClient(client.id(), requested);
        return TokenResponse.bearer(issued.token(), issued.expiresIn(), null, requested);
    }
}
