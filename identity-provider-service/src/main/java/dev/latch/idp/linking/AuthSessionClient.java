package dev.latch.idp.linking;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.idp.flow.LoginError;
import dev.latch.idp.protocol.Profile;
import dev.latch.idp.provider.IdentityProvider;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks auth-service for a Latch session after a provider login ({@link FederatedSessionsApi}, authenticated
 * with the broker's client-credentials token). Linking policy lives in auth-service: (issuer, subject) first,
 * then an email the broker marks linkable ({@link EmailLinking}), else a new user when sign-up is enabled or
 * the provider allows it.
 * <p>
 * auth-service stopped, not answering within {@code quarkus.rest-client.auth-service.read-timeout} (connect
 * within {@code connect-timeout}; the token request has the same deadline, {@link TokenRequestDeadline}), or
 * answering 502/503/504 — for the token or for the session — is {@code temporarily_unavailable} (RFC 6749's
 * code for "try again later"), never a hang. A 401 (the token was refused) is {@code session_failed}, and
 * the next login gets a new token.
 */
@ApplicationScoped
public class AuthSessionClient {

    private static final Logger LOG = Logger.getLogger(AuthSessionClient.class);

    @RegisterForReflection
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

    private final FederatedSessionsApi api;
    private final ObjectMapper json;

    public AuthSessionClient(@RestClient FederatedSessionsApi api, ObjectMapper json) {
        this.api = api;
        this.json = json;
    }

    public Session create(IdentityProvider provider, Profile profile, String clientIp, String userAgent)
            throws SessionException {
        FederatedSessionsApi.SessionRequest body = new FederatedSessionsApi.SessionRequest(
                provider.id,
                profile.subject(),
                profile.email(),
                EmailLinking.linkable(provider, profile),
                profile.displayName(),
                profile.avatarUrl(),
                provider.linkIssuer(),
                provider.allowSignup);
        try {
            return api.create(
                    body,
                    clientIp,
                    userAgent == null ? null : userAgent.substring(0, Math.min(512, userAgent.length())));
        } catch (FederatedSessionsApi.Answered e) {
            throw refusal(provider, e);
        } catch (RuntimeException e) {
            OidcClientException noToken = cause(e, OidcClientException.class);
            if (noToken != null) {
                LOG.warnf("no client-credentials token from auth-service: %s", noToken.toString());
                throw new SessionException(LoginError.TEMPORARILY_UNAVAILABLE, "no client token");
            }
            if (cause(e, InterruptedException.class) != null) {
                Thread.currentThread().interrupt();
                throw new SessionException(LoginError.TEMPORARILY_UNAVAILABLE, "interrupted");
            }
            // refused, reset, no answer within the read timeout, or a 200 whose body is no JSON (the client wraps
            // that parse error in a WebApplicationException)
            if (e instanceof ProcessingException || cause(e, IOException.class) != null) {
                LOG.warnf("auth-service unreachable for a federated session: %s", e.toString());
                throw new SessionException(LoginError.TEMPORARILY_UNAVAILABLE, "auth-service unreachable");
            }
            throw e;
        }
    }

    private SessionException refusal(IdentityProvider provider, FederatedSessionsApi.Answered answer) {
        int status = answer.status();
        if (status == 403) {
            String type = problemType(answer.body());
            LOG.infof("auth-service refused a federated session for provider %s: %s", provider.id, type);
            return new SessionException(
                    SIGNUP_DISABLED.equals(type) ? LoginError.SIGNUP_DISABLED : LoginError.ACCOUNT_DISABLED,
                    "auth-service refused: " + type);
        }
        if (status == 502 || status == 503 || status == 504) {
            LOG.warnf("auth-service unavailable for a federated session for provider %s: %d", provider.id, status);
            return new SessionException(LoginError.TEMPORARILY_UNAVAILABLE, "auth-service answered " + status);
        }
        LOG.warnf("auth-service refused a federated session for provider %s: %d", provider.id, status);
        return new SessionException("auth-service answered " + status);
    }

    private String problemType(String body) {
        try {
            return json.readTree(body).path("type").asText("about:blank");
        } catch (IOException | RuntimeException e) {
            return "about:blank";
        }
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
