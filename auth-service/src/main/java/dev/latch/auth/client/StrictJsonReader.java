package dev.latch.auth.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.lang.reflect.Type;
import java.util.function.BiFunction;

/**
 * Reads a client body refusing unknown fields (400 {@code Unknown field 'x'.}, see common's {@code ProblemMappers}):
 * the application's mapper ignores them, and a misspelt {@code redirectUri} must not silently register a client
 * without redirect URIs. Quarkus keeps the reader per resource method.
 */
public final class StrictJsonReader implements BiFunction<ObjectMapper, Type, ObjectReader> {

    @Override
    public ObjectReader apply(ObjectMapper mapper, Type type) {
        return mapper.readerFor(mapper.constructType(type)).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
