package dev.latch.auth.oauth2.authorize;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * A validated authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1): its client and redirect URI are known and
 * registered, so any later refusal goes back to {@code redirectUri}. Kept in Redis while the user logs in or consents
 * ({@link PendingRequests}); {@code sessionId} is the browser session that logged in for it, once one did.
 */
@RegisterForReflection
public record AuthorizationRequest(
        String clientId,
        String redirectUri,
        List<String> scopes,
        String state,
        String nonce,
        String codeChallenge,
        List<String> prompt,
        Long maxAge,
        String loginHint,
        String responseMode,
        String sessionId) {

    public static final String FORM_POST = "form_post";

    public boolean prompts(String value) {
        return prompt.contains(value);
    }

    public boolean formPost() {
        return FORM_POST.equals(responseMode);
    }

    public String scope() {
        return String.join(" ", scopes);
    }

    /** The same request, logged in for by browser session {@code id}. */
    public AuthorizationRequest loggedInBy(String id) {
        return new AuthorizationRequest(
                clientId,
                redirectUri,
                scopes,
                state,
                nonce,
                codeChallenge,
                prompt,
                maxAge,
                loginHint,
                responseMode,
                id);
    }
}
