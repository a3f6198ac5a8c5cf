package dev.latch.auth.oauth2.device;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.OAuthException;
import dev.latch.auth.oauth2.grant.ClientResolver;
import dev.latch.auth.oauth2.grant.Grant;
import dev.latch.auth.oauth2.grant.TokenResponse;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.token.IdTokenIssuer;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 8628 §3.4–3.5: the device polls with its device code until the user has answered at {@code /device}. An
 * approved code is exchanged once, by the client it was issued to, for what an authorization code would give: an
 * access token, an ID token when {@code openid} was granted (its {@code sid} the browser session that approved), and
 * a refresh token when {@code offline_access} was (and the client may refresh).
 */
@ApplicationScoped
public class DeviceCodeGrant implements Grant {

    public static final String TYPE = "urn:ietf:params:oauth:grant-type:device_code";

    private final ClientResolver clients;
    private final DeviceAuthorizations requests;
    private final UserRepository users;
    private final BrowserSessionService sessions;
    private final AccessTokenIssuer accessTokens;
    private final IdTokenIssuer idTokens;
    private final RefreshTokenService refreshTokens;

    public DeviceCodeGrant(
            ClientResolver clients,
            DeviceAuthorizations requests,
            UserRepository users,
            BrowserSessionService sessions,
            AccessTokenIssuer accessTokens,
            IdTokenIssuer idTokens,
            RefreshTokenService refreshTokens) {
        this.clients = clients;
        this.requests = requests;
        this.users = users;
        this.sessions = sessions;
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
        this.refreshTokens = refreshTokens;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TokenResponse grant(Request request) {
        ClientRegistry.Client client = clients.of(request);
        if (!client.allows(type())) {
            throw OAuthException.unauthorizedClient(type());
        }
        String deviceCode = request.form().require("device_code");
        DeviceAuthorization approved = approved(requests.poll(deviceCode, client.id()));
        User user = users.findActive(approved.userId)
                .orElseThrow(() -> OAuthException.invalidGrant("The user is unknown or disabled."));
        if (approved.browserSessionId != null
                && sessions.find(approved.browserSessionId)
                        .filter(s -> s.live(Instant.now()))
                        .isEmpty()) {
            throw OAuthException.invalidGrant("The user has signed out since.");
        }
        List<String> scopes = approved.scope.isBlank() ? List.of() : Arrays.asList(approved.scope.split(" "));
        AccessTokenIssuer.Issued access = accessTokens.forUser(user, client, scopes);
        String refresh = null;
        if (scopes.contains("offline_access") && client.allows("refresh_token")) {
            refresh = refreshTokens
                    .issue(user, client.id(), approved.scope, request.ip(), null, approved.browserSessionId)
                    .token();
        }
        TokenResponse answer = TokenResponse.bearer(access.token(), access.expiresIn(), refresh, scopes);
        if (scopes.contains("openid")) {
            answer = answer.withIdToken(idTokens.issue(
                    new IdTokenIssuer.Authentication(
                            user,
                            client.id(),
                            approved.authTime,
                            approved.amr,
                            null,
                            approved.browserSessionId,
                            scopes),
                    access.token()));
        }
        return answer;
    }

    /** The approved request this poll took, or the RFC 8628 §3.5 (or RFC 6749 §5.2) error for any other outcome. */
    private static DeviceAuthorization approved(DeviceAuthorizations.Poll poll) {
        if (poll instanceof DeviceAuthorizations.Approved a) {
            return a.request();
        }
        if (poll instanceof DeviceAuthorizations.SlowDown s) {
            throw OAuthException.slowDown(s.interval());
        }
        if (poll instanceof DeviceAuthorizations.Pending) {
            throw OAuthException.authorizationPending();
        }
        if (poll instanceof DeviceAuthorizations.Denied) {
            throw OAuthException.accessDenied("The user denied the request.");
        }
        if (poll instanceof DeviceAuthorizations.Expired) {
            throw OAuthException.expiredToken("The device code has expired; start again.");
        }
        if (poll instanceof DeviceAuthorizations.Used) {
            throw OAuthException.invalidGrant("The device code was already used.");
        }
        if (poll instanceof DeviceAuthorizations.OtherClient) {
            throw OAuthException.invalidGrant("The device code was issued to another client.");
        }
        throw OAuthException.invalidGrant("The device code is invalid.");
    }
}
