package dev.latch.auth.oauth2.logout;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.key.SigningKeyStore;
import dev.latch.auth.oauth2.ClientRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * OIDC Back-Channel Logout 1.0: tells each client of an ended browser session that has a back-channel logout URI,
 * by posting a signed {@code logout_token} (§2.4) to it. The tokens are signed on the caller's thread and posted
 * from a managed executor, so a slow or unreachable client never holds up the user's logout; a client gets
 * {@link #TIMEOUT} to answer, and a failure is logged (without the token) and not retried.
 */
@ApplicationScoped
public class BackchannelLogout {

    public static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    /** Connect and answer timeout of one notification. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** A logout token is only good for its immediate delivery (§2.4: short-lived). */
    static final Duration LIFETIME = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(BackchannelLogout.class);

    private final String issuer;
    private final SigningKeyStore keys;
    private final ManagedExecutor executor;
    private final HttpClient http;

    public BackchannelLogout(AuthConfig config, SigningKeyStore keys, ManagedExecutor executor) {
        this.issuer = config.token().issuer();
        this.keys = keys;
        this.executor = executor;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Notifies every one of {@code clients} that has a back-channel logout URI; returns without waiting. */
    public void notify(Collection<ClientRegistry.Client> clients, UUID userId, UUID sessionId) {
        for (ClientRegistry.Client client : clients) {
            client.backchannelLogoutUri().ifPresent(uri -> {
                String token = logoutToken(client.id(), userId, sessionId);
                executor.execute(() -> deliver(client.id(), uri, token));
            });
        }
    }

    /** §2.4: iss, aud, iat, exp, jti, sub, sid and the logout event; never a nonce. */
    String logoutToken(String clientId, UUID userId, UUID sessionId) {
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(clientId);
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(LIFETIME).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setSubject(userId.toString());
        claims.setStringClaim("sid", sessionId.toString());
        claims.setClaim("events", Map.of(EVENT, Map.of()));
        return keys.sign(claims.toJson(), "logout+jwt");
    }

    private void deliver(String clientId, String uri, String token) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cache-Control", "no-store")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "logout_token=" + URLEncoder.encode(token, StandardCharsets.US_ASCII)))
                    .build();
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) {
                LOG.warnf("back-channel logout of client %s: its endpoint answered %d", clientId, answer.statusCode());
            } else {
                LOG.debugf("back-channel logout of client %s delivered", clientId);
            }
        } catch (IOException | IllegalArgumentException e) {
            // the exception names the failure (timeout, refused connection), never the token
            LOG.warnf("back-channel logout of client %s failed: %s", clientId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
