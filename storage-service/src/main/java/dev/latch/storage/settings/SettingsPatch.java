package dev.latch.storage.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The body of {@code PUT /api/v1/storage/settings}: a field that is absent keeps its value (its component is
 * {@code null}); a JSON {@code null} clears the nullable fields (it arrives as {@code ""}, see {@link PatchNulls})
 * and is refused for the others. {@code pinned} and {@code s3.secretAccessKeySet} are skipped, so what GET shows can be PUT back.
 * Rules between fields apply to the merged settings, in {@link SettingsService#checkRules}.
 * <p>
 * Each component is a setting, with its rules here; {@link SettingsFields} finds the rest of it by its name (its
 * value in {@link StorageSettings}, its column, its configuration) and applies a patch to the settings in force.
 */
@RegisterForReflection
@JsonIgnoreProperties(value = "pinned", ignoreUnknown = false)
public record SettingsPatch(
        @JsonDeserialize(using = PatchNulls.Refused.class)
        @Pattern(regexp = "DATABASE|LOCAL|S3", message = "must be DATABASE, LOCAL or S3")
        String defaultBackend,

        @JsonDeserialize(using = PatchNulls.Refused.class)
        @Pattern(regexp = "PRESIGNED|PROXY", message = "must be PRESIGNED or PROXY")
        String delivery,

        @JsonDeserialize(using = PatchNulls.Refused.class)
        @Min(value = 1, message = "must be an integer between 1 and " + SettingsService.MAX_UPLOAD_BYTES)
        @Max(
                value = SettingsService.MAX_UPLOAD_BYTES,
                message = "must be an integer between 1 and " + SettingsService.MAX_UPLOAD_BYTES)
        Long maxUploadBytes,

        @JsonDeserialize(using = PatchNulls.Refused.class)
        @Size(min = 1, max = 500, message = "must be a non-empty list of media types (at most 500)")
        @MediaRanges
        List<String> allowedTypes,

        @JsonDeserialize(using = PatchNulls.Refused.class)
        @Min(value = 1, message = "must be an integer between 1 and " + SettingsService.MAX_URL_TTL_SECONDS)
        @Max(
                value = SettingsService.MAX_URL_TTL_SECONDS,
                message = "must be an integer between 1 and " + SettingsService.MAX_URL_TTL_SECONDS)
        Integer urlTtlSeconds,

        @JsonDeserialize(using = PatchNulls.Refused.class)
        @Min(value = 1, message = "must be an integer between 1 and " + SettingsService.MAX_URL_TTL_SECONDS)
        @Max(
                value = SettingsService.MAX_URL_TTL_SECONDS,
                message = "must be an integer between 1 and " + SettingsService.MAX_URL_TTL_SECONDS)
        Integer maxUrlTtlSeconds,

        @JsonDeserialize(using = PatchNulls.Refused.class) @Valid
        S3 s3) {

    /**
     * S3 connection settings; an empty {@code endpoint}, {@code bucket} or {@code accessKeyId} clears it, and the
     * endpoint loses a trailing slash.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(value = "secretAccessKeySet", ignoreUnknown = false)
    public record S3(
            @JsonDeserialize(using = PatchNulls.Clears.class)
            @HttpEndpoint(message = "must be an http(s) URL without query, such as https://s3.example.com")
            String endpoint,

            @JsonDeserialize(using = PatchNulls.Refused.class)
            @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be a region name such as us-east-1 or auto")
            String region,

            @JsonDeserialize(using = PatchNulls.Clears.class)
            @Pattern(regexp = "|[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]", message = "is not a valid bucket name")
            String bucket,

            @JsonDeserialize(using = PatchNulls.Refused.class)
            Boolean pathStyle,

            @JsonDeserialize(using = PatchNulls.Clears.class)
            @Pattern(regexp = "|[\\x21-\\x7e]{1,255}", message = "is not valid")
            String accessKeyId,
            /* write-only: null keeps the stored secret, "" clears it */
            @Pattern(regexp = "|[\\x21-\\x7e]{1,255}", message = "is not valid")
            String secretAccessKey) {

        public S3 {
            endpoint = stripTrailingSlash(trim(endpoint));
            region = trim(region);
            bucket = trim(bucket);
            accessKeyId = trim(accessKeyId);
            secretAccessKey = trim(secretAccessKey);
        }
    }

    public SettingsPatch {
        defaultBackend = trim(defaultBackend);
        delivery = trim(delivery);
        if (allowedTypes != null) {
            allowedTypes = allowedTypes.stream()
                    .map(t -> t == null ? null : t.trim().toLowerCase(Locale.ROOT))
                    .toList();
        }
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    /** One trailing slash goes; a lone {@code "/"} stays, for its constraint to refuse it. */
    private static String stripTrailingSlash(String value) {
        return value != null && value.length() > 1 && value.endsWith("/")
                ? value.substring(0, value.length() - 1)
                : value;
    }

    /**
     * Reads this body strictly, as the hand-written parser before it did: an unknown field is refused (the
     * application's mapper ignores them), and a value of another JSON type is refused instead of converted
     * ({@code "5"} or {@code 1.5} for a number, {@code 5} for a string, {@code 1} or {@code "true"} for a boolean).
     * Quarkus keeps the reader per resource method.
     */
    public static final class StrictReader implements BiFunction<ObjectMapper, Type, ObjectReader> {

        @Override
        public ObjectReader apply(ObjectMapper applicationMapper, Type type) {
            ObjectMapper mapper = applicationMapper.copy();
            refuse(mapper, LogicalType.Integer, CoercionInputShape.Float, CoercionInputShape.String);
            refuse(mapper, LogicalType.Integer, CoercionInputShape.EmptyString, CoercionInputShape.Boolean);
            refuse(mapper, LogicalType.Boolean, CoercionInputShape.Integer, CoercionInputShape.Float);
            refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString);
            refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float);
            refuse(mapper, LogicalType.Textual, CoercionInputShape.Boolean);
            return mapper.readerFor(mapper.constructType(type)).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        }

        private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
            for (CoercionInputShape shape : shapes) {
                mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
            }
        }
    }
}
