package dev.latch.auth.client;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * A URI a client registers (redirect, post-logout redirect, back-channel logout), compared later as an exact string:
 * absolute, printable ASCII only, with a host, no user info, no fragment and no wildcard; {@code https}, or
 * {@code http} on a loopback host ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}). At most 2048 characters.
 * Null is valid (pair it with {@code @NotNull}).
 */
@Documented
@Constraint(validatedBy = ClientUri.Validator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface ClientUri {

    String RULE = "must be an absolute https URI (http only on localhost, 127.0.0.1 or [::1]) of at most 2048 "
            + "characters, without fragment, user info or wildcard.";

    String message() default RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<ClientUri, String> {

        public static final int MAX_LENGTH = 2048;
        private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || valid(value);
        }

        public static boolean valid(String value) {
            if (value.isEmpty() || value.length() > MAX_LENGTH) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x21 || c > 0x7e || c == '#' || c == '*' || c == '\\') {
                    return false;
                }
            }
            URI uri;
            try {
                uri = new URI(value);
            } catch (URISyntaxException e) {
                return false;
            }
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return false;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            return scheme.equals("https") || scheme.equals("http") && LOOPBACK.contains(host);
        }
    }
}
