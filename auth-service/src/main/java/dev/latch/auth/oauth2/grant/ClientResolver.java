package dev.latch.auth.oauth2.grant;

import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.OAuthException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The client of a grant that public clients use too (authorization code, device code, refresh): the authenticated
 * client, else a public client named by {@code client_id} alone. A confidential client must authenticate.
 */
@ApplicationScoped
public class ClientResolver {

    private final ClientRegistry clients;

    public ClientResolver(ClientRegistry clients) {
        this.clients = clients;
    }

    public ClientRegistry.Client of(Grant.Request request) {
        return optional(request).orElseThrow(() -> OAuthException.invalidClient(true));
    }

    /** The client, when the request names one; empty when it names none (a first-party refresh). */
    public Optional<ClientRegistry.Client> optional(Grant.Request request) {
        Optional<ClientRegistry.Client> authenticated = request.client().optional();
        if (authenticated.isPresent()) {
            return authenticated;
        }
        String clientId = request.form().get("client_id");
        if (clientId == null) {
            return Optional.empty();
        }
        return Optional.of(clients.find(clientId)
                .filter(c -> !c.confidential())
                .orElseThrow(() -> OAuthException.invalidClient(true)));
    }
}
