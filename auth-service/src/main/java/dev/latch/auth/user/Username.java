package dev.latch.auth.user;

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
import java.util.regex.Pattern;

/**
 * A username as a user may type it: once normalised ({@link UserService#normalizeUsername}: trimmed, lower case), 3 to
 * 32 of {@code a-z 0-9 . _ -}. Null is valid (pair it with {@code @NotNull}).
 */
@Documented
@Constraint(validatedBy = Username.Validator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface Username {

    String RULE = "username must be 3 to 32 of a-z, 0-9, '.', '_' and '-'.";

    String message() default RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<Username, String> {

        private static final Pattern NORMALISED = Pattern.compile("[a-z0-9._-]{3,32}");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null
                    || NORMALISED.matcher(UserService.normalizeUsername(value)).matches();
        }
    }
}
