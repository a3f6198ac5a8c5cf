package dev.latch.common.error;

import java.util.Map;

/**
 * A domain failure that knows its HTTP status. Thrown anywhere in a service; rendered as
 * {@code application/problem+json} by {@link ProblemMappers}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final String type;
    private final Map<String, String> headers;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, "about:blank", Map.of());
    }

    public ProblemException(int status, String title, String detail, String type, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.type = type;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String type() {
        return type;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem() {
        return new Problem(type, title, status, detail(), null, null, null);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    /** 401 with the {@code WWW-Authenticate} challenge the contract requires on every 401. */
    public static ProblemException unauthorized(String detail) {
        return new ProblemException(
                401,
                "Unauthorized",
                detail,
                "about:blank",
                Map.of("WWW-Authenticate", ProblemMappers.BEARER_CHALLENGE));
    }

    /** 503 with {@code Retry-After}: a store the request needs (Redis, the database) is briefly unreachable. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "Service Unavailable", detail, "about:blank", Map.of("Retry-After", "1"));
    }
}
