package dev.latch.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/**
 * A body that breaks its constraints: each refused field named as the body spells it (nested, list and map
 * members included), and the detail naming them too, so a reader of the detail alone knows what to fix.
 */
class ConstraintViolationAnswerTest {

    record Nested(
            @Size(max = 2, message = "region is too long.") String region) {}

    record Body(
            @NotNull(message = "code is required.") String code,
            List<@Pattern(regexp = "[a-z]+", message = "scopes are words.") String> scopes,
            Map<@Pattern(regexp = "email|name", message = "unknown key.") String, String> mapping,
            @Valid Nested s3) {}

    private static final Validator VALIDATOR = jakarta.validation.Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    @Test
    void eachRefusedFieldIsNamedInTheErrorsAndTheDetail() {
        Body body = new Body(null, List.of("ok", "NOT OK"), Map.of("other", "x"), new Nested("far"));
        ConstraintViolationException e = new ConstraintViolationException(VALIDATOR.validate(body));
        Response r = new ProblemMappers().constraintViolation(e);
        Problem problem = (Problem) r.getEntity();
        assertEquals(400, r.getStatus());
        assertEquals(
                List.of("code", "mapping[other]", "s3.region", "scopes[1]"),
                problem.errors().stream().map(Problem.FieldError::field).toList());
        assertEquals("The request is not valid: code, mapping[other], s3.region, scopes[1].", problem.detail());
    }

    @Test
    void aValidBodyHasNoViolations() {
        assertEquals(
                0,
                VALIDATOR
                        .validate(new Body("c", List.of("ok"), Map.of("email", "x"), new Nested("eu")))
                        .size());
    }
}
