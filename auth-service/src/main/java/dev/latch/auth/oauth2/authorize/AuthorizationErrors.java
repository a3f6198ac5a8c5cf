package dev.latch.auth.oauth2.authorize;

/** The two ways an authorization request is refused (RFC 6749 §4.1.2.1). */
public final class AuthorizationErrors {

    private AuthorizationErrors() {}

    /**
     * The client or the redirect URI cannot be trusted (unknown client, unregistered redirect URI, a repeated or
     * unusable request_uri): the user sees an error page, and nothing is ever redirected.
     */
    public static final class Untrusted extends RuntimeException {
        public Untrusted(String message) {
            super(message, null, false, false);
        }
    }

    /** Any other refusal: {@code error} goes back to the client's redirect URI, with {@code state} and {@code iss}. */
    public static final class Redirected extends RuntimeException {

        private final String error;
        private final transient Target target;

        public Redirected(String error, String description, Target target) {
            super(description, null, false, false);
            this.error = error;
            this.target = target;
        }

        public String error() {
            return error;
        }

        public Target target() {
            return target;
        }
    }

    /** Where an answer goes: the registered redirect URI, the request's state and response mode. */
    public record Target(String redirectUri, String state, String responseMode) {

        public static Target of(AuthorizationRequest request) {
            return new Target(request.redirectUri(), request.state(), request.responseMode());
        }

        public Redirected error(String error, String description) {
            return new Redirected(error, description, this);
        }
    }
}
