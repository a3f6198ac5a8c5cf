package dev.latch.idp.linking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.idp.flow.Profile;
import dev.latch.idp.provider.IdentityProvider;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Asks auth-service for a Latch session after a provider login
 * ({@code POST /internal/v1/federated-sessions}), authenticated with the broker's client-credentials
 * token from quarkus-oidc-client (cached until shortly before it expires). Linking policy lives in
 * auth-service: (issuer, subject) first, then an email the broker marks linkable ({@link EmailLinking}),
 * else a new user when sign-up is enabled or the provider allows it.
 */
@ApplicationScoped
public class AuthSessionClient {

    private static final Logger LOG = Logger.getLogger(AuthSessionClient.class);

    public record Session(String userId, boolean existingUser, String accessToken, long expiresIn, String refreshToken) {
    }

    /** auth-service's answer to a refused federated session. */
    public static final String SIGNUP_DISABLED = "urn:latch:problem:signup-disabled";

    public static final class SessionException extends Exception {
        private final String code;

        public SessionException(String message) {
            this("session_failed", message);
        }

        public SessionException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /** {@code signup_disabled}, {@code account_disabled} (auth-service refused this user) or {@code session_failed}. */
        public String code() {
            return code;
        }

        /** auth-service refused this identity (as opposed to failing). */
        public boolean refused() {
            return !code.equals("session_failed");
        }
    }

    private final OidcClient oidcClient;
    private final ObjectMapper json;
    private final String authServiceUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Tokens tokens;

    public AuthSessionClient(OidcClient oidcClient, ObjectMapper json,
            @ConfigProperty(name = "latch.auth-service-url") String authServiceUrl) {
        this.oidcClient = oidcClient;
        this.json = json;
        this.authServiceUrl = authServiceUrl.endsWith("/") ? authServiceUrl.substring(0, authServiceUrl.length() - 1) : authServiceUrl;
    }

    public Session create(IdentityProvider provider, Profile profile, String clientIp, String userAgent)
            throws SessionException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("provider", provider.id);
        body.put("subject", profile.subject());
        body.put("email", profile.email());
        body.put("emailVerified", EmailLinking.linkable(provider, profile));
        body.put("displayName", profile.displayName());
        body.put("avatarUrl", profile.avatarUrl());
        body.put("issuer", provider.linkIssuer());
        body.put("allowSignup", provider.allowSignup);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(authServiceUrl + "/internal/v1/federated-sessions"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + accessToken())
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            if (clientIp != null) {
                request.header("X-Latch-Client-IP", clientIp);
            }
            if (userAgent != null) {
                request.header("X-Latch-Client-User-Agent", userAgent.substring(0, Math.min(512, userAgent.length())));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                tokens = null;
            }
            if (response.statusCode() == 403) {
                String type = problemType(response.body());
                LOG.infof("auth-service refused a federated session for provider %s: %s", provider.id, type);
                throw new SessionException(SIGNUP_DISABLED.equals(type) ? "signup_disabled" : "account_disabled",
                        "auth-service refused: " + type);
            }
            if (response.statusCode() != 200) {
                LOG.warnf("auth-service refused a federated session for provider %s: %d", provider.id, response.statusCode());
                throw new SessionException("auth-service answered " + response.statusCode());
            }
            JsonNode node = json.readTree(response.body());
            return new Session(node.path("userId").asText(), node.path("existingUser").asBoolean(),
                    node.path("accessToken").asText(), node.path("expiresIn").asLong(), node.path("refreshToken").asText());
        } catch (IOException e) {
            LOG.warnf("auth-service unreachable for a federated session: %s", e.getMessage());
            throw new SessionException("auth-service unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException("interrupted");
        } catch (RuntimeException e) {
            LOG.warnf("no client-credentials token for auth-service: %s", e.getMessage());
            throw new SessionException("no client token");
        }
    }

    private String problemType(String body) {
        try {
            return json.readTree(body).path("type").asText("about:blank");
        } catch (IOException | RuntimeException e) {
            return "about:blank";
        }
    }

    private String accessToken() {
        Tokens t = tokens;
        if (t == null || t.isAccessTokenExpired() || t.isAccessTokenWithinRefreshInterval()) {
            t = oidcClient.getTokens().await().atMost(Duration.ofSeconds(10));
            tokens = t;
        }
        return t.getAccessToken();
    }
}
