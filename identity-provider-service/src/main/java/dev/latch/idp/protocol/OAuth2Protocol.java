package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.idp.flow.LoginFailure;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderService;
import jakarta.inject.Singleton;

/** Plain OAuth 2.0: the admin's three endpoints, client_secret_basic, the profile from userinfo. */
@Singleton
public class OAuth2Protocol extends ProtocolSupport {

    public OAuth2Protocol(ProviderHttp http, ProviderService providers) {
        super(http, providers);
    }

    @Override
    public Endpoints endpoints(IdentityProvider p) {
        return new Endpoints(p.issuer, p.authorizationUrl, p.tokenUrl, p.userInfoUrl, null, true, false);
    }

    @Override
    public Profile profile(IdentityProvider p, Endpoints e, Tokens tokens, String expectedNonce) throws LoginFailure {
        JsonNode user = userinfo(p, e, tokens.accessToken());
        return map(p, user, user.path("email_verified").asBoolean(false));
    }
}
