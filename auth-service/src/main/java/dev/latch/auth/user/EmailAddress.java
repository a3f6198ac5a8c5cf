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
 * An optional email address: blank means none; otherwise, once trimmed ({@link Validator#normalize}), at most 320 characters
 * of the shape {@code local@domain.tld}.
 */
@Documented
@Constraint(validatedBy = EmailAddress.Validator.class)
@Target({FIELD, METHOD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface EmailAddress {

    String message() default "email is not a valid address.";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<EmailAddress, String> {

        private static final Pattern SHAPE = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

        /** The address as stored: trimmed, null when blank. */
        public static String normalize(String email) {
            return email == null || email.isBlank() ? null : email.trim();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            String email = normalize(value);
            return email == null
                    || email.length() <= 320 && SHAPE.matcher(email).matches();
        }
    }
}
