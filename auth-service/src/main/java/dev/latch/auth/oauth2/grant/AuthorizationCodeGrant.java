package dev.latch.auth.oauth2.grant;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.OAuthException;
import dev.latch.auth.oauth2.authorize.AuthorizationCode;
import dev.latch.auth.oauth2.authorize.AuthorizationCodes;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.token.IdTokenIssuer;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserRepository;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * RFC 6749 §4.1.3 with PKCE (RFC 7636): a code is exchanged once, by the client it was issued to, with the same
 * redirect URI and the verifier of its S256 challenge. A code presented a second time revokes what its first
 * exchange issued (§4.1.2). The answer carries an ID token when {@code openid} was granted and a refresh token when
 * {@code offline_access} was (and the client may refresh).
 */
@ApplicationScoped
public class AuthorizationCodeGrant implements Grant {

    private static final Logger LOG = Logger.getLogger(AuthorizationCodeGrant.class);
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    private final ClientResolver clients;
    private final AuthorizationCodes codes;
    private final UserRepository users;
    private final BrowserSessionService sessions;
    private final AccessTokenIssuer accessTokens;
    private final IdTokenIssuer idTokens;
    private final RefreshTokenService refreshTokens;

    public AuthorizationCodeGrant(
            ClientResolver clients,
            AuthorizationCodes codes,
            UserRepository users,
            BrowserSessionService sessions,
            AccessTokenIssuer accessTokens,
            IdTokenIssuer idTokens,
            RefreshTokenService refreshTokens) {
        this.clients = clients;
        this.codes = codes;
        this.users = users;
        this.sessions = sessions;
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
        this.refreshTokens = refreshTokens;
    }

    @Override
    public String type() {
        return "authorization_code";
    }

    @Override
    public TokenResponse grant(Request request) {
        ClientRegistry.Client client = clients.of(request);
        if (!client.allows(type())) {
            throw OAuthException.unauthorizedClient(type());
        }
        String presented = request.form().require("code");
        String redirectUri = request.form().require("redirect_uri");
        String verifier = request.form().get("code_verifier");
        AuthorizationCodes.Use use = codes.use(presented);
        if (use instanceof AuthorizationCodes.Unknown) {
            throw OAuthException.invalidGrant("The authorization code is invalid.");
        }
        if (use instanceof AuthorizationCodes.Reused reused) {
            codes.familyOf(reused.code()).ifPresent(family -> refreshTokens.revoke(family, "code_reused"));
            LOG.infof(
                    "authorization code of client %s presented again: what it issued is revoked",
                    reused.code().clientId);
            throw OAuthException.invalidGrant("The authorization code was already used.");
        }
        AuthorizationCode code = ((AuthorizationCodes.Fresh) use).code();
        if (!code.expiresAt.isAfter(Instant.now())) {
            throw OAuthException.invalidGrant("The authorization code has expired.");
        }
        if (!code.clientId.equals(client.id())) {
            throw OAuthException.invalidGrant("The authorization code was issued to another client.");
        }
        if (!code.redirectUri.equals(redirectUri)) {
            throw OAuthException.invalidGrant("redirect_uri differs from the authorization request's.");
        }
        checkVerifier(code, verifier);
        User user = users.findActive(code.userId)
                .orElseThrow(() -> OAuthException.invalidGrant("The user is unknown or disabled."));
        if (code.browserSessionId != null
                && sessions.find(code.browserSessionId)
                        .filter(s -> s.live(Instant.now()))
                        .isEmpty()) {
            throw OAuthException.invalidGrant("The user has signed out since.");
        }
        List<String> scopes = code.scope.isBlank() ? List.of() : Arrays.asList(code.scope.split(" "));
        AccessTokenIssuer.Issued access = accessTokens.forUser(user, client, scopes);
        String refresh = null;
        if (scopes.contains("offline_access") && client.allows("refresh_token")) {
            RefreshTokenService.Issued issued =
                    refreshTokens.issue(user, client.id(), code.scope, request.ip(), null, code.browserSessionId);
            codes.recordFamily(code, issued.familyId());
            refresh = issued.token();
        }
        TokenResponse answer = TokenResponse.bearer(access.token(), access.expiresIn(), refresh, scopes);
        if (scopes.contains("openid")) {
            answer = answer.withIdToken(idTokens.issue(
                    new IdTokenIssuer.Authentication(
                            user, client.id(), code.authTime, code.amr, code.nonce, code.browserSessionId, scopes),
                    access.token()));
        }
        return answer;
    }

    /** RFC 7636 §4.6: BASE64URL(SHA-256(verifier)) equals the challenge; a verifier without a challenge is refused. */
    private static void checkVerifier(AuthorizationCode code, String verifier) {
        if (code.codeChallenge == null) {
            if (verifier != null) {
                throw OAuthException.invalidGrant("code_verifier sent for a request without code_challenge.");
            }
            return;
        }
        if (verifier == null || !VERIFIER.matcher(verifier).matches()) {
            throw OAuthException.invalidGrant("code_verifier is missing or malformed.");
        }
        String computed = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(SecureTokens.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
        if (!SecureTokens.constantTimeEquals(computed, code.codeChallenge)) {
            throw OAuthException.invalidGrant("code_verifier does not match the code_challenge.");
        }
    }
}
