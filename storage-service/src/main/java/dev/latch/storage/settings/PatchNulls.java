package dev.latch.storage.settings;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;

/**
 * How a component of {@link SettingsPatch} tells an absent field (the component stays {@code null}: keep the value)
 * from a JSON {@code null}. Jackson hands a record both through the same null provider, and {@code @JsonSetter(nulls
 * = ...)} would therefore refuse or clear absent fields too; a deserializer answers the two cases apart.
 */
final class PatchNulls {

    private PatchNulls() {}

    /** A JSON {@code null} is refused (400, "Field '…' has the wrong type."): the field has no "unset". */
    @RegisterForReflection
    static final class Refused extends StdDeserializer<Object> implements ContextualDeserializer {

        private final JsonDeserializer<Object> delegate;
        private final BeanProperty property;

        Refused() {
            this(null, null);
        }

        private Refused(JsonDeserializer<Object> delegate, BeanProperty property) {
            super(Object.class);
            this.delegate = delegate;
            this.property = property;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            return new Refused(ctxt.findContextualValueDeserializer(property.getType(), property), property);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return delegate.deserialize(p, ctxt);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            throw InvalidNullException.from(ctxt, property.getFullName(), property.getType());
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /** A JSON {@code null} arrives as {@code ""}, which clears the field, as an empty string does. */
    @RegisterForReflection
    static final class Clears extends StringDeserializer {

        @Override
        public String getNullValue(DeserializationContext ctxt) {
            return "";
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }
}
