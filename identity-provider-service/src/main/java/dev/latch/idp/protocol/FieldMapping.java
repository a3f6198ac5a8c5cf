package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Reads mapped fields out of a provider's claims, following dotted paths into nested objects. */
final class FieldMapping {

    private FieldMapping() {}

    static String read(JsonNode claims, Map<String, String> mapping, String field) {
        String path = mapping == null ? null : mapping.get(field);
        if (path == null || claims == null) {
            return null;
        }
        JsonNode node = claims;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        if (node.isTextual()) {
            String s = node.asText().trim();
            return s.isEmpty() ? null : s;
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        return null;
    }
}
