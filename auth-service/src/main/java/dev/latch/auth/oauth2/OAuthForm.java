package dev.latch.auth.oauth2;

import jakarta.ws.rs.core.MultivaluedMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of an OAuth form post, each present at most once: RFC 6749 §3.2 says a parameter MUST NOT be
 * sent twice, and taking either copy would let a proxy and Latch read two different requests.
 */
public final class OAuthForm {

    private final Map<String, String> values;

    private OAuthForm(Map<String, String> values) {
        this.values = values;
    }

    public static OAuthForm of(MultivaluedMap<String, String> form) {
        if (form == null) {
            return new OAuthForm(Map.of());
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            List<String> given = parameter.getValue();
            if (given.size() > 1) {
                String name = parameter.getKey();
                throw OAuthException.invalidRequest(
                        (name.matches("[A-Za-z0-9_]{1,64}") ? "The parameter " + name : "A parameter")
                                + " is repeated.");
            }
            if (!given.isEmpty()) {
                values.put(parameter.getKey(), given.get(0));
            }
        }
        return new OAuthForm(values);
    }

    /** The value, or null when absent. */
    public String get(String name) {
        return values.get(name);
    }

    /** The value; invalid_request when absent or empty. */
    public String require(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuthException.invalidRequest(name + " is required.");
        }
        return value;
    }
}
