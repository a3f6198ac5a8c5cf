package dev.latch.idp.protocol;

import dev.latch.idp.flow.LoginFailure;
import dev.latch.idp.provider.IdentityProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a login with one kind of provider runs (dex's connectors, Keycloak's identity providers): where
 * its endpoints are, where the browser goes, exchanging the code and reading who the user is. The kind
 * names its protocol ({@link dev.latch.idp.provider.ProviderKind#protocol()}); {@link Protocols} finds it.
 */
public interface ProviderProtocol {

    /** What the token endpoint answered. */
    record Tokens(String accessToken, String idToken) {}

    Endpoints endpoints(IdentityProvider p) throws LoginFailure;

    /** The authorization request: exactly the configured scopes, PKCE S256 and nonce when given. */
    default String authorizationUrl(
            IdentityProvider p, Endpoints e, String redirectUri, String state, String codeVerifier, String nonce) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", p.clientId);
        q.put("redirect_uri", redirectUri);
        q.put("scope", p.scopes == null ? "" : p.scopes);
        q.put("state", state);
        if (codeVerifier != null) {
            q.put("code_challenge", Pkce.challenge(codeVerifier));
            q.put("code_challenge_method", "S256");
        }
        if (nonce != null) {
            q.put("nonce", nonce);
        }
        StringBuilder url =
                new StringBuilder(e.authorization()).append(e.authorization().contains("?") ? '&' : '?');
        q.forEach((k, v) -> url.append(enc(k)).append('=').append(enc(v)).append('&'));
        url.setLength(url.length() - 1);
        return url.toString();
    }

    Tokens exchange(IdentityProvider p, Endpoints e, String code, String redirectUri, String codeVerifier)
            throws LoginFailure;

    /** The profile; {@code expectedNonce} is null when the login did not start here. */
    Profile profile(IdentityProvider p, Endpoints e, Tokens tokens, String expectedNonce) throws LoginFailure;

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
