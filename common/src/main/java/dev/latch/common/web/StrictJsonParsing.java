package dev.latch.common.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A JSON body that gives a field twice ({@code {"username":"a","username":"b"}}) is refused (400, see
 * {@code ProblemMappers}) instead of read: which value wins differs between parsers, so a proxy or a log
 * may see another request than the service, and Jackson cannot bind a repeated field to a record at all
 * (it answered 500).
 */
@Singleton
public class StrictJsonParsing implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
