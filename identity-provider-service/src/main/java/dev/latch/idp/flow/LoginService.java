package dev.latch.idp.flow;

import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import dev.latch.idp.linking.AuthSessionClient;
import dev.latch.idp.protocol.Endpoints;
import dev.latch.idp.protocol.OidcMetadata;
import dev.latch.idp.protocol.Pkce;
import dev.latch.idp.protocol.Profile;
import dev.latch.idp.protocol.Protocols;
import dev.latch.idp.protocol.ProviderProtocol;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A login through a provider, from the state minted at the start to the Latch session: the callback's
 * state checks, the code exchange and profile (by the kind's protocol), the first-login record and the
 * federated session. Failures after the provider's redirect become a {@link LoginError}.
 */
@ApplicationScoped
public class LoginService {

    private static final Logger LOG = Logger.getLogger(LoginService.class);
    private static final Pattern PROVIDER_ERROR = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Where the browser goes to log in, and the state it carries. */
    public record Started(String state, String location) {}

    /**
     * Where a callback lands: {@code redirect_to} with a refresh token, or {@code redirect_to?oauth_error=…}
     * without one; {@code binding} is what remains of the browser's binding cookie.
     */
    public record Landing(String location, String refreshToken, String binding) {}

    private final ProviderService providers;
    private final Protocols protocols;
    private final StateStore states;
    private final AuthSessionClient sessions;

    public LoginService(ProviderService providers, Protocols protocols, StateStore states, AuthSessionClient sessions) {
        this.providers = providers;
        this.protocols = protocols;
        this.states = states;
        this.sessions = sessions;
    }

    /** Mints and stores the state (with PKCE verifier and, for OIDC, a nonce) and builds the authorization URL. */
    public Started start(IdentityProvider provider, String redirectTo, String callbackUrl) throws LoginFailure {
        ProviderProtocol protocol = protocols.of(provider);
        Endpoints endpoints = protocol.endpoints(provider);
        String state = SecureTokens.randomBase64Url(32);
        String verifier = provider.pkce ? Pkce.verifier() : null;
        String nonce = provider.providerKind().oidc() ? SecureTokens.randomBase64Url(24) : null;
        states.put(
                state,
                new LoginState(
                        provider.id, redirectTo, verifier, nonce, Instant.now().getEpochSecond()));
        return new Started(state, protocol.authorizationUrl(provider, endpoints, callbackUrl, state, verifier, nonce));
    }

    /**
     * The provider's redirect back. A state that is missing, unknown, expired, replayed, another
     * provider's or not this browser's is a 400; anything failing after that lands with an error code.
     */
    public Landing callback(
            IdentityProvider provider,
            String state,
            String code,
            String error,
            String iss,
            String bindingCookie,
            String callbackUrl,
            String clientIp,
            String userAgent) {
        if (state == null || state.isEmpty() || state.length() > 128) {
            throw ProblemException.badRequest("The state parameter is missing.");
        }
        LoginState login = states.take(state)
                .orElseThrow(() -> ProblemException.badRequest("The login state is unknown, expired or already used."));
        if (!login.provider().equals(provider.id)) {
            throw ProblemException.badRequest("The login state belongs to another provider.");
        }
        if (!LoginBinding.contains(bindingCookie, state)) {
            throw ProblemException.badRequest("The login was not started in this browser.");
        }
        String binding = LoginBinding.remove(bindingCookie, state);
        if (error != null) {
            String wire = PROVIDER_ERROR.matcher(error).matches() ? error : LoginError.PROVIDER_ERROR.wire();
            return failed(login, wire, binding);
        }
        try {
            ProviderProtocol protocol = protocols.of(provider);
            Endpoints endpoints = protocol.endpoints(provider);
            // RFC 9207: a provider that names itself must name the right issuer (mix-up defence)
            if (iss != null
                    ? endpoints.issuer() != null && !OidcMetadata.sameIssuer(iss, endpoints.issuer())
                    : endpoints.issParameterSupported()) {
                throw new LoginFailure(LoginError.INVALID_ISS, "iss parameter missing or wrong");
            }
            if (code == null || code.isEmpty()) {
                throw new LoginFailure(LoginError.MISSING_CODE, "no code");
            }
            Profile profile =
                    profile(protocol, provider, endpoints, code, callbackUrl, login.codeVerifier(), login.nonce());
            AuthSessionClient.Session session = session(provider, profile, clientIp, userAgent);
            return new Landing(login.redirectTo(), session.refreshToken(), binding);
        } catch (LoginFailure e) {
            return failed(login, e.error().wire(), binding);
        } catch (AuthSessionClient.SessionException e) {
            return failed(login, e.code().wire(), binding);
        } catch (RuntimeException e) {
            LOG.errorf(e, "login with provider %s failed", provider.id);
            return failed(login, LoginError.SERVER_ERROR.wire(), binding);
        }
    }

    /** A single-page app's own redirect: the code and its PKCE verifier, straight to a session. */
    public AuthSessionClient.Session token(
            IdentityProvider provider,
            String code,
            String redirectUri,
            String codeVerifier,
            String clientIp,
            String userAgent)
            throws LoginFailure, AuthSessionClient.SessionException {
        ProviderProtocol protocol = protocols.of(provider);
        Endpoints endpoints = protocol.endpoints(provider);
        Profile profile = profile(protocol, provider, endpoints, code, redirectUri, codeVerifier, null);
        return session(provider, profile, clientIp, userAgent);
    }

    private static Profile profile(
            ProviderProtocol protocol,
            IdentityProvider provider,
            Endpoints endpoints,
            String code,
            String redirectUri,
            String codeVerifier,
            String nonce)
            throws LoginFailure {
        ProviderProtocol.Tokens tokens = protocol.exchange(provider, endpoints, code, redirectUri, codeVerifier);
        return protocol.profile(provider, endpoints, tokens, nonce);
    }

    /**
     * The Latch session for a finished provider login. The provider's first use is recorded before
     * auth-service can link anyone, and a login whose provider changed identity meanwhile is dropped.
     */
    private AuthSessionClient.Session session(
            IdentityProvider provider, Profile profile, String clientIp, String userAgent)
            throws LoginFailure, AuthSessionClient.SessionException {
        if (!providers.recordLogin(provider)) {
            throw new LoginFailure(LoginError.PROVIDER_UNAVAILABLE, "the provider was changed during the login");
        }
        return sessions.create(provider, profile, clientIp, userAgent);
    }

    private static Landing failed(LoginState login, String code, String binding) {
        return new Landing(withError(login.redirectTo(), code), null, binding);
    }

    /** Appends {@code oauth_error} to a local path, keeping any query and putting it before a fragment. */
    static String withError(String redirectTo, String code) {
        int hash = redirectTo.indexOf('#');
        String base = hash >= 0 ? redirectTo.substring(0, hash) : redirectTo;
        String fragment = hash >= 0 ? redirectTo.substring(hash) : "";
        String separator = base.contains("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
        return base + separator + "oauth_error=" + ProviderProtocol.enc(code) + fragment;
    }
}
