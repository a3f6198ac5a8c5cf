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

    public record Client(String id, List<String> scopes, List<String> grantTypes) {
        public boolean allows(String grantType) {
            return grantTypes.contains(grantType);
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
            if (c.secret().isEmpty() && c.secretHash().isEmpty()) {
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
        return ok ? Optional.of(new Client(clientId, c.scopes(), c.grantTypes())) : Optional.empty();
    }

    /**
     * A stored confidential client with this id and secret (read at every call, so a rotated secret or a deleted
     * client stops working at once). An unknown id, or a public client, costs a comparison all the same.
     */
    private Optional<Client> authenticateStored(String clientId, String secret) {
        Optional<OAuthClient> found = stored.findByClientId(clientId).filter(OAuthClient::confidential);
        byte[] expected = found.map(s -> s.secretHash).orElseGet(() -> SecureTokens.sha256(clientId));
        boolean ok = SecureTokens.constantTimeEquals(expected, SecureTokens.sha256(secret)) && found.isPresent();
        return ok ? found.map(s -> new Client(s.clientId, List.of(s.scopes), List.of(s.grantTypes))) : Optional.empty();
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
