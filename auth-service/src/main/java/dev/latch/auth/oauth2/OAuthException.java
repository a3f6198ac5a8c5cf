package dev.latch.auth.oauth2;

import dev.latch.common.error.ProblemException;
import java.util.List;
import java.util.Map;

/**
 * An RFC 6749 §5.2 error, thrown wherever a grant, the client authentication or an endpoint refuses a request and
 * answered by {@link OAuthExceptionMapper} as {@code application/json} with the RFC 9457 members as well.
 */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;
    private final transient Map<String, List<String>> headers;

    public OAuthException(int status, String error, String description, Map<String, List<String>> headers) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(400, "invalid_request", description, Map.of());
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(400, "invalid_grant", description, Map.of());
    }

    public static OAuthException unauthorizedClient(String grantType) {
        return new OAuthException(400, "unauthorized_client", "This client may not use " + grantType + ".", Map.of());
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(400, "invalid_scope", description, Map.of());
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(400, "unsupported_grant_type", description, Map.of());
    }

    /** RFC 8628 §3.5: the user has not answered yet; the device polls again after the interval. */
    public static OAuthException authorizationPending() {
        return new OAuthException(
                400, "authorization_pending", "The user has not yet approved or denied the request.", Map.of());
    }

    /** RFC 8628 §3.5: still pending, and polled too soon; the device adds 5 s to its interval. */
    public static OAuthException slowDown(int interval) {
        return new OAuthException(
                400, "slow_down", "Polled too soon: wait " + interval + " seconds between polls.", Map.of());
    }

    /** RFC 8628 §3.5: the user denied the request. */
    public static OAuthException accessDenied(String description) {
        return new OAuthException(400, "access_denied", description, Map.of());
    }

    /** RFC 8628 §3.5: the device code has expired; the device starts a new request. */
    public static OAuthException expiredToken(String description) {
        return new OAuthException(400, "expired_token", description, Map.of());
    }

    public static OAuthException insufficientScope(String description) {
        return new OAuthException(403, "insufficient_scope", description, Map.of());
    }

    /** 401 invalid_client, with Latch's uniform challenge and the Basic one when the client used Basic (§5.2). */
    public static OAuthException invalidClient(boolean basic) {
        List<String> challenges = basic
                ? List.of("Bearer error=\"invalid_token\"", "Basic realm=\"latch\"")
                : List.of("Bearer error=\"invalid_token\"");
        return new OAuthException(
                401, "invalid_client", "Client authentication failed.", Map.of("WWW-Authenticate", challenges));
    }

    /** A 429 from a rate limiter, as the OAuth error {@code error}, keeping its Retry-After. */
    public static OAuthException tooMany(String error, ProblemException limited) {
        return new OAuthException(
                429,
                error,
                limited.detail(),
                Map.of("Retry-After", List.of(limited.headers().get("Retry-After"))));
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    public Map<String, List<String>> headers() {
        return headers;
    }
}
