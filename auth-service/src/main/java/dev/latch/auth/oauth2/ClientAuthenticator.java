package dev.latch.auth.oauth2;

import dev.latch.auth.ratelimit.SignInRateLimiter;
import dev.latch.common.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Authenticates the client of an OAuth request from its Basic header or form credentials, refusing a client id or
 * address that failed too often before the secret is even checked, and counting every failure.
 */
@ApplicationScoped
public class ClientAuthenticator {

    private final ClientRegistry clients;
    private final SignInRateLimiter limiter;

    public ClientAuthenticator(ClientRegistry clients, SignInRateLimiter limiter) {
        this.clients = clients;
        this.limiter = limiter;
    }

    /** The credentials presented, if any, and the client they authenticate, if any. */
    public record ClientAuth(Optional<ClientRegistry.Credentials> credentials, Optional<ClientRegistry.Client> client) {

        /** Whether a challenge should name Basic: when the client used it, or presented nothing. */
        boolean basic() {
            return credentials.map(ClientRegistry.Credentials::basic).orElse(true);
        }

        /** The authenticated client; invalid_client when there is none. */
        public ClientRegistry.Client require() {
            return client.orElseThrow(() -> OAuthException.invalidClient(basic()));
        }

        /** Public clients present nothing; presenting credentials that fail is invalid_client. */
        public Optional<ClientRegistry.Client> optional() {
            if (credentials.isPresent() && client.isEmpty()) {
                throw OAuthException.invalidClient(basic());
            }
            return client;
        }
    }

    public ClientAuth authenticate(String authorization, OAuthForm form, String ip) {
        Optional<ClientRegistry.Credentials> credentials =
                ClientRegistry.credentials(authorization, form.get("client_id"), form.get("client_secret"));
        if (credentials.isEmpty()) {
            return new ClientAuth(credentials, Optional.empty());
        }
        ClientRegistry.Credentials c = credentials.get();
        try {
            limiter.checkClient(c.clientId(), ip);
        } catch (ProblemException e) {
            throw OAuthException.tooMany("invalid_client", e);
        }
        Optional<ClientRegistry.Client> client = clients.authenticate(c.clientId(), c.secret());
        if (client.isEmpty()) {
            limiter.clientFailed(c.clientId(), ip);
        }
        return new ClientAuth(credentials, client);
    }
}
