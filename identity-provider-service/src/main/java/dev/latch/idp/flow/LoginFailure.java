package dev.latch.idp.flow;

/** A failed login step, with the code the user's app receives. */
public final class LoginFailure extends Exception {

    private final LoginError error;

    public LoginFailure(LoginError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public LoginError error() {
        return error;
    }
}
