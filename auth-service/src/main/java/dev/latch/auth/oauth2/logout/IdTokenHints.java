package dev.latch.auth.oauth2.logout;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.key.SigningKeyStore;
import dev.latch.common.auth.LatchJwtConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;

/**
 * Reads the {@code id_token_hint} of an RP-initiated logout: an ID token this server signed (with a key it still
 * publishes) for one of its clients. Unlike at sign-in, an expired ID token is a fine hint (RP-Initiated Logout
 * 1.0 §2): the signature and the issuer are what make it this server's, so only they are checked (and that it is
 * an ID token, not an access token).
 */
@ApplicationScoped
public class IdTokenHints {

    private static final Logger LOG = Logger.getLogger(IdTokenHints.class);
    /** Hints longer than this are not even parsed (an ID token is a few hundred bytes to a few KiB). */
    static final int MAX_LENGTH = 8192;

    /** What a valid hint says: whose token it was ({@code sub}), for which client, through which session. */
    public record Hint(UUID userId, String clientId, Optional<UUID> sessionId) {}

    private final String issuer;
    private final JwtConsumer consumer;

    public IdTokenHints(AuthConfig config, LatchJwtConfig jwt, SigningKeyStore keys) {
        this.issuer = config.token().issuer();
        // the default validators would refuse an expired token: the claims this needs are checked in read()
        this.consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(keys.resolver())
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT,
                        jwt.algorithms().toArray(String[]::new)))
                .setSkipAllDefaultValidators()
                .build();
    }

    /** The hint, if it is an ID token of this server; empty for anything else (bad signature, issuer, type). */
    public Optional<Hint> read(String idTokenHint) {
        if (idTokenHint == null || idTokenHint.isEmpty() || idTokenHint.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            JwtContext context = consumer.process(idTokenHint);
            String typ = context.getJoseObjects().get(0).getHeader("typ");
            if (typ != null && !typ.equalsIgnoreCase("JWT")) {
                // an access token (at+jwt) or a logout token is not an ID token
                return Optional.empty();
            }
            JwtClaims claims = context.getJwtClaims();
            if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null) {
                return Optional.empty();
            }
            List<String> audience = claims.getAudience();
            String azp = claims.getStringClaimValue("azp");
            String clientId = audience.size() == 1 ? audience.get(0) : azp;
            if (clientId == null || !audience.contains(clientId)) {
                return Optional.empty();
            }
            String sid = claims.getStringClaimValue("sid");
            return Optional.of(new Hint(
                    UUID.fromString(claims.getSubject()),
                    clientId,
                    sid == null ? Optional.empty() : Optional.of(UUID.fromString(sid))));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException | ClassCastException e) {
            LOG.debugf("id_token_hint refused: %s", e.getMessage());
            return Optional.empty();
        }
    }
}
