package dev.latch.auth.oauth2;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 6749 §5.2 error answers, carrying the RFC 9457 members as well. */
final class OAuthErrors {

    private OAuthErrors() {}

    static Response of(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        body.put("type", "about:blank");
        body.put(
                "title",
                switch (status) {
                    case 401 -> "Unauthorized";
                    case 403 -> "Forbidden";
                    case 429 -> "Too Many Requests";
                    default -> "Bad Request";
                });
        body.put("status", status);
        body.put("detail", description);
        return noStore(Response.status(status)
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(body))
                .build();
    }

    /** 401 invalid_client, with the challenge for the scheme the client used (RFC 6749 §5.2). */
    static Response invalidClient(boolean basic) {
        Response r = of(401, "invalid_client", "Client authentication failed.");
        // Latch's uniform challenge first; the Basic one too when the client used Basic
        Response.ResponseBuilder builder =
                Response.fromResponse(r).header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        if (basic) {
            builder.header("WWW-Authenticate", "Basic realm=\"latch\"");
        }
        return builder.build();
    }

    static Response.ResponseBuilder noStore(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }
}
