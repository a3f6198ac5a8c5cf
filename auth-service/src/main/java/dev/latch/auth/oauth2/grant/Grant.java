package dev.latch.auth.oauth2.grant;

import dev.latch.auth.oauth2.ClientAuthenticator.ClientAuth;
import dev.latch.auth.oauth2.OAuthForm;

/**
 * One OAuth 2.0 grant type of the token endpoint: a new grant is one more bean of this type. A grant refuses a
 * request by throwing {@link dev.latch.auth.oauth2.OAuthException}.
 */
public interface Grant {

    /** The {@code grant_type} value this grant answers. */
    String type();

    TokenResponse grant(Request request);

    /** The token request as the endpoint has parsed and authenticated it. */
    record Request(OAuthForm form, ClientAuth client, String ip) {}
}
