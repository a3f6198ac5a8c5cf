package dev.latch.idp.linking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.idp.config.IdpConfig;
import dev.latch.idp.flow.LoginError;
import dev.latch.idp.protocol.Profile;
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
 * <p>
 * auth-service stopped, not answering within {@code latch.idp.auth-service.timeout} (connect within
 * {@code connect-timeout}), or answering 502/503/504 — for the token or for the session — is
 * {@code temporarily_unavailable} (RFC 6749's code for "try again later"), never a hang.
 */
@ApplicationScoped
public class AuthSessionClient {

    private static final Logger LOG = Logger.getLogger(AuthSessionClient.class);

    public record Session(
            String userId, boolean existingUser, String accessToken, long expiresIn, String refreshToken) {}

    /** auth-service's answer to a refused federated session. */
    public static final String SIGNUP_DISABLED = "urn:latch:problem:signup-disabled";

    public static final class SessionException extends Exception {
        private final LoginError code;

        public SessionException(String message) {
            this(LoginError.SESSION_FAILED, message);
        }

        public SessionException(LoginError code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /**
         * {@code signup_disabled}, {@code account_disabled} (auth-service refused this user),
         * {@code temporarily_unavailable} or {@code session_failed}.
         */
        public LoginError code() {
            return code;
        }

        /** auth-service refused this identity (as opposed to failing). */
        public boolean refused() {
            return code != LoginError.SESSION_FAILED && code != LoginError.TEMPORARILY_UNAVAILABLE;
        }
    }

    private final OidcClient oidcClient;
    private final ObjectMapper json;
    private final String authServiceUrl;
    private final Duration timeout;
    private final HttpClient http;
    private volatile Tokens tokens;

    public AuthSessionClient(
            OidcClient oidcClient,
            ObjectMapper json,
            IdpConfig config,
            @ConfigProperty(name = "latch.auth-service-url") String authServiceUrl) {
        this.oidcClient = oidcClient;
        this.json = json;
        this.timeout = config.authService().timeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.authService().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.authServiceUrl = authServiceUrl.endsWith("/")
                ? authServiceUrl.substring(0, authServiceUrl.length() - 1)
                : authServiceUrl;
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
        String token;
        try {
            token = accessToken();
        } catch (RuntimeException e) {
            LOG.warnf("no client-credentials token from auth-service: %s", e.toString());
            throw new SessionException(LoginError.TEMPORARILY_UNAVAILABLE, "no client token");
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(authServiceUrl + "/internal/v1/federated-sessions"))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token)
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
                throw new SessionException(
                        SIGNUP_DISABLED.equals(type) ? LoginError.SIGNUP_DISABLED : LoginError.ACCOUNT_DISABLED,
                        "auth-service refused: " + type);
            }
            if (response.statusCode() == 502 || response.statusCode() == 503 || response.statusCode() == 504) {
                LOG.warnf(
                        "auth-service unavailable for a federated session for provider %s: %d",
                        provider.id, response.statusCode());
                throw new SessionException(
                        LoginError.TEMPORARILY_UNAVAILABLE, "auth-service answered " + response.statusCode());
            }
            if (response.statusCode() != 200) {
                LOG.warnf(
                        "auth-service refused a federated session for provider %s: %d",
                        provider.id, response.statusCode());
                throw new SessionException("auth-service answered " + response.statusCode());
            }
            JsonNode node = json.readTree(response.body());
            return new Session(
                    node.path("userId").asText(),
                    node.path("existingUser").asBoolean(),
                    node.path("accessToken").asText(),
                    node.path("expiresIn").asLong(),
                    node.path("refreshToken").asText());
        } catch (IOException e) {
            // refused, reset, or no answer within the timeout (HttpTimeoutException)
            LOG.warnf("auth-service unreachable for a federated session: %s", e.toString());
            throw new SessionException(LoginError.TEMPORARILY_UNAVAILABLE, "auth-service unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(LoginError.TEMPORARILY_UNAVAILABLE, "interrupted");
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
            t = oidcClient.getTokens().await().atMost(timeout);
            tokens = t;
        }
        return t.getAccessToken();
    }
}
