package dev.latch.idp.flow;

/**
 * The codes a failed login lands with on {@code redirect_to?oauth_error=…}: public contract, so each
 * wire value is fixed. A provider's own {@code error} is passed through as it came (when well formed).
 */
public enum LoginError {
    PROVIDER_ERROR("provider_error"),
    INVALID_ISS("invalid_iss"),
    MISSING_CODE("missing_code"),
    TOKEN_EXCHANGE_FAILED("token_exchange_failed"),
    INVALID_ID_TOKEN("invalid_id_token"),
    USERINFO_FAILED("userinfo_failed"),
    MISSING_IDENTIFIER("missing_identifier"),
    PROVIDER_UNAVAILABLE("provider_unavailable"),
    SIGNUP_DISABLED("signup_disabled"),
    ACCOUNT_DISABLED("account_disabled"),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable"),
    SESSION_FAILED("session_failed"),
    SERVER_ERROR("server_error");

    private final String wire;

    LoginError(String wire) {
        this.wire = wire;
    }

    /** The value of {@code oauth_error}. */
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
