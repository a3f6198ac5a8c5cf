package dev.latch.auth.user;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A local account's sign-up, and the one place its rules are written: the bootstrap ADMIN from configuration is
 * checked against them too ({@link UserService#bootstrapAdmin}).
 */
@RegisterForReflection
public record SignUpRequest(
        @NotNull(message = Username.RULE) @Username String username,

        @NotNull(message = PASSWORD_RULE) @Size(min = 8, max = UserService.MAX_PASSWORD_LENGTH, message = PASSWORD_RULE)
        String password,

        @EmailAddress String email,

        @Size(max = 200, message = "displayName must be at most 200 characters.")
        String displayName) {

    static final String PASSWORD_RULE = "password must be 8 to " + UserService.MAX_PASSWORD_LENGTH + " characters.";
}
