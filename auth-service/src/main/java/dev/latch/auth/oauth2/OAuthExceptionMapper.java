package dev.latch.auth.oauth2;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place an {@link OAuthException} becomes an answer: RFC 6749 §5.2 members, then the RFC 9457 ones. */
public class OAuthExceptionMapper {

    private static final Logger LOG = Logger.getLogger(OAuthExceptionMapper.class);

    @ServerExceptionMapper
    public Response oauth(OAuthException e) {
        LOG.debugf("OAuth error %s (%d): %s", e.error(), e.status(), e.description());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        body.put("type", "about:blank");
        body.put(
                "title",
                switch (e.status()) {
                    case 401 -> "Unauthorized";
                    case 403 -> "Forbidden";
                    case 429 -> "Too Many Requests";
                    default -> "Bad Request";
                });
        body.put("status", e.status());
        body.put("detail", e.description());
        Response.ResponseBuilder answer = noStore(Response.status(e.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body));
        e.headers().forEach((name, values) -> values.forEach(v -> answer.header(name, v)));
        return answer.build();
    }

    /** RFC 6749 §5.1: token answers and their errors are never cached. */
    public static Response.ResponseBuilder noStore(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }
}
