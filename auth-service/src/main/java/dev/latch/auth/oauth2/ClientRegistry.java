package dev.latch.auth.oauth2;

import dev.latch.auth.client.OAuthClient;
import dev.latch.auth.client.OAuthClientRepository;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.user.PasswordHasher;
import dev.latch.common.security.SecureTokens;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * OAuth2 clients: those of configuration first, then the confidential clients stored through
 * {@code /v1/oauth-clients}; secrets compared as hashes (SHA-256 or Argon2id), in constant time. A public client
 * never authenticates with a secret.
 */
@ApplicationScoped
public class ClientRegistry {

    private static final Logger LOG = Logger.getLogger(ClientRegistry.class);

    /** A client as every endpoint sees it, from configuration or from {@code oauth_clients}. */
    public record Client(
            String id,
            List<String> scopes,
            List<String> grantTypes,
            String name,
            boolean confidential,
            List<String> redirectUris,
            List<String> postLogoutRedirectUris,
            boolean firstParty,
            boolean requirePar,
            Optional<String> backchannelLogoutUri,
            Optional<String> audience) {

        public boolean allows(String grantType) {
            return grantTypes.contains(grantType);
        }

        static Client of(String id, AuthConfig.Client c) {
            return new Client(
                    id,
                    List.copyOf(c.scopes()),
                    List.copyOf(c.grantTypes()),
                    c.name().orElse(id),
                    !OAuthClient.PUBLIC.equals(c.type()),
                    c.redirectUris().map(List::copyOf).orElse(List.of()),
                    c.postLogoutRedirectUris().map(List::copyOf).orElse(List.of()),
                    c.firstParty(),
                    c.requirePar(),
                    c.backchannelLogoutUri(),
                    c.audience());
        }

        static Client of(OAuthClient s) {
            return new Client(
                    s.clientId,
                    List.of(s.scopes),
                    List.of(s.grantTypes),
                    s.name,
                    s.confidential(),
                    List.of(s.redirectUris),
                    List.of(s.postLogoutRedirectUris),
                    s.firstParty,
                    s.requirePar,
                    Optional.ofNullable(s.backchannelLogoutUri),
                    Optional.empty());
        }
    }

    private final Map<String, AuthConfig.Client> clients;
    private final PasswordHasher hasher;
    private final OAuthClientRepository stored;

    public ClientRegistry(AuthConfig config, PasswordHasher hasher, OAuthClientRepository stored) {
        this.clients = config.clients();
        this.hasher = hasher;
        this.stored = stored;
    }

    void check(@Observes StartupEvent event) {
        // inline and development secrets are reported by the production-readiness checks
        clients.forEach((id, c) -> {
            if (!OAuthClient.PUBLIC.equals(c.type())
                    && c.secret().isEmpty()
                    && c.secretHash().isEmpty()) {
                LOG.warnf("OAuth2 client %s has no secret and cannot authenticate", id);
            }
        });
    }

    /** The client whose id and secret these are; empty for any mismatch. */
    public Optional<Client> authenticate(String clientId, String secret) {
        if (clientId == null || secret == null) {
            return Optional.empty();
        }
        AuthConfig.Client c = clients.get(clientId);
        if (c == null) {
            return authenticateStored(clientId, secret);
        }
        boolean ok;
        if (c.secretHash().isPresent()) {
            String hash = c.secretHash().get();
            if (hash.startsWith("sha256:")) {
                byte[] expected = HexFormat.of()
                        .parseHex(hash.substring("sha256:".length()).trim().toLowerCase());
                ok = SecureTokens.constantTimeEquals(expected, SecureTokens.sha256(secret));
            } else {
                ok = hasher.verify(secret, hash);
            }
        } else {
            ok = c.secret().map(s -> SecureTokens.constantTimeEquals(s, secret)).orElse(false);
        }
        return ok && !OAuthClient.PUBLIC.equals(c.type()) ? Optional.of(Client.of(clientId, c)) : Optional.empty();
    }

    /**
     * A stored confidential client with this id and secret (read at every call, so a rotated secret or a deleted
     * client stops working at once). An unknown id, or a public client, costs a comparison all the same.
     */
    private Optional<Client> authenticateStored(String clientId, String secret) {
        Optional<OAuthClient> found = stored.findByClientId(clientId).filter(OAuthClient::confidential);
        byte[] expected = found.map(s -> s.secretHash).orElseGet(() -> SecureTokens.sha256(clientId));
        boolean ok = SecureTokens.constantTimeEquals(expected, SecureTokens.sha256(secret)) && found.isPresent();
        return ok ? found.map(Client::of) : Optional.empty();
    }

    /**
     * Any client with this id, public or confidential, without authenticating it: the authorization endpoint and
     * public clients (which present only their id) look clients up so.
     */
    public Optional<Client> find(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        AuthConfig.Client c = clients.get(clientId);
        if (c != null) {
            return Optional.of(Client.of(clientId, c));
        }
        return stored.findByClientId(clientId).map(Client::of);
    }

    public record Credentials(String clientId, String secret, boolean basic) {}

    /** client_secret_basic (RFC 6749 §2.3.1, form-urlencoded id and secret) or client_secret_post. */
    public static Optional<Credentials> credentials(String authorization, String formId, String formSecret) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    return Optional.empty();
                }
                return Optional.of(new Credentials(
                        urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1)), true));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        if (formId != null && formSecret != null) {
            return Optional.of(new Credentials(formId, formSecret, false));
        }
        return Optional.empty();
    }

    private static String urlDecode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
