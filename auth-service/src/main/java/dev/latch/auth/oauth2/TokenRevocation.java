package dev.latch.auth.oauth2;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.pat.PatService;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.common.auth.AccessTokenVerifier;
import dev.latch.common.security.PersonalAccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * RFC 7009: a client revokes the refresh tokens issued to it. A live token issued to someone else is refused; an
 * unknown one is a success (§2.2), as is an access token of the client, which expires on its own.
 */
@ApplicationScoped
public class TokenRevocation {

    private final PatService pats;
    private final AccessTokenVerifier verifier;
    private final RefreshTokenService refreshTokens;
    private final AuditService audit;

    public TokenRevocation(
            PatService pats, AccessTokenVerifier verifier, RefreshTokenService refreshTokens, AuditService audit) {
        this.pats = pats;
        this.verifier = verifier;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
    }

    public void revoke(String token, String clientId) {
        // PATs belong to users, not clients: no client may revoke one here
        if (PersonalAccessTokens.looksLikePat(token)) {
            if (pats.findLive(token).isPresent()) {
                throw notIssuedTo();
            }
            return;
        }
        if (token.chars().filter(c -> c == '.').count() == 2) {
            try {
                if (!clientId.equals(verifier.verify(token).getClaimValue("client_id"))) {
                    throw notIssuedTo();
                }
            } catch (InvalidJwtException e) {
                // not a live token of ours: nothing to revoke
            }
            return;
        }
        Optional<String> issuedTo = refreshTokens.clientOf(token);
        if (issuedTo.isPresent() && !issuedTo.get().equals(clientId)) {
            throw notIssuedTo();
        }
        refreshTokens
                .revokeByToken(token, "revoked")
                .ifPresent(family -> audit.record(
                        AuditService.SIGNOUT,
                        null,
                        null,
                        Map.of("session_id", family.toString(), "via", "revocation", "client_id", clientId)));
    }

    private static OAuthException notIssuedTo() {
        return OAuthException.invalidGrant("The token was not issued to this client.");
    }
}
