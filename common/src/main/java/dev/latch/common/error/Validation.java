package dev.latch.common.error;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Set;

/**
 * Bean Validation of a request body at the point a resource chooses, for the endpoints whose other refusals (a
 * missing scope, an unknown provider) must come first; answered by {@link ProblemMappers}' constraint-violation
 * mapper like a {@code @Valid} parameter.
 */
public final class Validation {

    private Validation() {}

    /**
     * The body, when it meets its constraints (of the default group, or of {@code groups}); a
     * {@link ConstraintViolationException} naming each field otherwise.
     */
    public static <T> T validate(Validator validator, T body, Class<?>... groups) {
        Set<ConstraintViolation<T>> violations = validator.validate(body, groups);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }
}
