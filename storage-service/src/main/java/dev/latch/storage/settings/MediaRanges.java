package dev.latch.storage.settings;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every entry is a media range such as {@code image/png}, {@code image/*} or {@code *}{@code /*} (lower case, as
 * {@link SettingsPatch} normalises them); {@code *}{@code /png} is not. A {@code null} list is valid.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = MediaRanges.Validator.class)
public @interface MediaRanges {

    String message() default "must be media types such as image/png or image/*";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<MediaRanges, List<String>> {

        private static final Pattern MEDIA_RANGE =
                Pattern.compile("\\*/\\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/(\\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126})");

        @Override
        public boolean isValid(List<String> value, ConstraintValidatorContext context) {
            return value == null
                    || value.stream()
                            .allMatch(t -> t != null && MEDIA_RANGE.matcher(t).matches());
        }
    }
}
