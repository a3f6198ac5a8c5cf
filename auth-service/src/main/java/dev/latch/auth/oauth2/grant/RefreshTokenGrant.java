package dev.latch.auth.oauth2.grant;

import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.OAuthException;
import dev.latch.auth.ratelimit.SignInRateLimiter;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.session.Rotation;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.common.error.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * RFC 6749 §6: rotates a refresh token and issues an access token for its user. Not transactional on purpose: the
 * rotation commits on its own, so a detected reuse stays revoked (and audited) when the refusal is thrown.
 */
@ApplicationScoped
public class RefreshTokenGrant implements Grant {

    private final RefreshTokenService refreshTokens;
    private final AccessTokenIssuer accessTokens;
    private final SignInRateLimiter limiter;
    private final ClientResolver clients;

    public RefreshTokenGrant(
            RefreshTokenService refreshTokens,
            AccessTokenIssuer accessTokens,
            SignInRateLimiter limiter,
            ClientResolver clients) {
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.limiter = limiter;
        this.clients = clients;
    }

    @Override
    public String type() {
        return "refresh_token";
    }

    @Override
    public TokenResponse grant(Request request) {
        // a public client names itself; with no client at all, only a first-party session refreshes (a family
        // issued to a confidential client needs that client's authentication, RFC 6749 §6)
        Optional<ClientRegistry.Client> client = clients.optional(request);
        String refreshToken = request.form().require("refresh_token");
        if (client.isPresent() && !client.get().allows(type())) {
            throw OAuthException.unauthorizedClient(type());
        }
        try {
            limiter.checkRefresh(request.ip());
        } catch (ProblemException e) {
            // not invalid_grant: a client that hears it drops its refresh token, which may well be good
            throw OAuthException.tooMany("temporarily_unavailable", e);
        }
        Rotation rotation = refreshTokens.rotate(
                refreshToken, client.map(ClientRegistry.Client::id).orElse(AccessTokenIssuer.FIRST_PARTY_CLIENT));
        if (rotation instanceof Rotation.Refused) {
            limiter.refreshFailed(request.ip());
            throw OAuthException.invalidGrant("The refresh token is invalid, expired or revoked.");
        }
        Rotation.Rotated rotated = (Rotation.Rotated) rotation;
        List<String> scopes = rotated.scope() == null || rotated.scope().isBlank()
                ? List.of()
                : Arrays.asList(rotated.scope().split(" "));
        AccessTokenIssuer.Issued issued = client.filter(c -> c.id().equals(rotated.clientId()))
                .map(c -> accessTokens.forUser(rotated.user(), c, scopes))
                .orElseGet(() -> accessTokens.forUser(rotated.user(), rotated.clientId(), scopes));
        return TokenResponse.bearer(
                issued.token(), issued.expiresIn(), rotated.issued().token(), scopes);
    }
}
