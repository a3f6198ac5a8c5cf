package dev.latch.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpClosedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one family of exception mappers every Latch service uses: every failure becomes an RFC 9457
 * {@code application/problem+json} body. 4xx answers explain what was wrong with the request; 5xx
 * answers say nothing internal and carry a request id that is logged with the cause.
 */
public class ProblemMappers {

    /** The challenge sent with every 401 (RFC 6750 §3). */
    public static final String BEARER_CHALLENGE = "Bearer error=\"invalid_token\"";

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final int PRIORITY = Priorities.USER - 100;
    private static final String BODY_READER = "org.jboss.resteasy.reactive.server.handlers.RequestDeserializeHandler";
    private static final String PARAMETER_HANDLER = "org.jboss.resteasy.reactive.server.handlers.ParameterHandler";
    /** Picks the resource method by the request's Content-Type (where several consume different types). */
    private static final String MEDIA_TYPE_MAPPER = "org.jboss.resteasy.reactive.server.handlers.MediaTypeMapper";
    /** Reads form and multipart bodies before the resource method runs. */
    private static final String FORM_BODY_HANDLER = "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler";

    private static final String DUPLICATE_FIELD = "Duplicate field ";
    private static final String INVALID = "The request is not valid.";

    @ServerExceptionMapper(priority = PRIORITY)
    public Response problem(ProblemException e) {
        if (e.status() >= 500) {
            return serverError(e, e.status(), e.title(), e.detail());
        }
        LOG.debugf("%d %s: %s", e.status(), e.title(), e.detail());
        Response.ResponseBuilder builder = build(e.toProblem());
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 404 && e.getCause() != null && thrownBy(e, PARAMETER_HANDLER)) {
            // JAX-RS answers 404 for a query or path parameter that does not convert (pageSize=abc): it is a bad
            // request
            LOG.debugf("400: parameter not convertible: %s", e.getCause().toString());
            return build(Problem.of(400, "Bad Request", "A parameter has the wrong type or format."))
                    .build();
        }
        if (status >= 500) {
            return serverError(e, status, reason(status), "The server could not complete the request.");
        }
        LOG.debugf("%d: %s", status, e.getMessage());
        Response.ResponseBuilder builder = build(Problem.of(status, reason(status), clientDetail(status)));
        // keep Allow (405) and similar protocol headers, never the framework's body
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        if (status == 401) {
            builder.header("WWW-Authenticate", BEARER_CHALLENGE);
        }
        return builder.build();
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response authenticationFailed(AuthenticationFailedException e) {
        LOG.debugf("authentication failed: %s", e.getMessage());
        return unauthorized("The access token is missing, invalid or expired.");
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response unauthorized(UnauthorizedException e) {
        return unauthorized("Authentication is required.");
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response forbidden(ForbiddenException e) {
        return build(Problem.of(403, "Forbidden", "You are not allowed to do this."))
                .build();
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        // the detail names the refused fields too, for a reader of the detail alone (a log line, a CLI's message)
        String fields = errors.stream()
                .map(Problem.FieldError::field)
                .filter(f -> !f.isEmpty())
                .distinct()
                .collect(Collectors.joining(", "));
        String detail = fields.isEmpty() ? INVALID : INVALID.substring(0, INVALID.length() - 1) + ": " + fields + ".";
        return build(new Problem("about:blank", "Bad Request", 400, detail, null, null, errors))
                .build();
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response validation(ValidationException e) {
        return build(Problem.of(400, "Bad Request", INVALID)).build();
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response unrecognizedProperty(UnrecognizedPropertyException e) {
        return badJson("Unknown field '" + e.getPropertyName() + "'.");
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response invalidFormat(InvalidFormatException e) {
        return badJson("Field '" + path(e) + "' has the wrong format.");
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response mismatchedInput(MismatchedInputException e) {
        String path = path(e);
        return badJson(
                path.isEmpty()
                        ? "The body does not have the expected shape."
                        : "Field '" + path + "' has the wrong type.");
    }

    @ServerExceptionMapper(priority = PRIORITY)
    public Response json(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith(DUPLICATE_FIELD)) {
            // StrictJsonParsing: a field given twice is ambiguous (and Jackson cannot bind it to a record)
            return badJson("Field " + message.substring(DUPLICATE_FIELD.length()) + " is given more than once.");
        }
        return badJson("The body is not valid JSON.");
    }

    /**
     * A body the framework could not decode (a form with a broken {@code %} escape, an empty name, a multipart
     * {@code Content-Type} whose boundary does not parse) is the client's error: 400. Any other runtime exception
     * stays a 500.
     */
    @ServerExceptionMapper(priority = PRIORITY)
    public Response runtime(RuntimeException e) {
        if (thrownBy(e, BODY_READER) || thrownBy(e, FORM_BODY_HANDLER)) {
            return undecodableBody(e);
        }
        if (e instanceof IllegalArgumentException && thrownBy(e, MEDIA_TYPE_MAPPER)) {
            // a Content-Type that does not parse (";;;"), where the operation is chosen by it: as anywhere else, 415
            LOG.debugf("415: %s", e.toString());
            return build(Problem.of(415, "Unsupported Media Type", "The Content-Type header does not parse."))
                    .build();
        }
        return unexpected(e);
    }

    /**
     * The database cannot be reached (PostgreSQL restarting, a broken pooled connection, the pool exhausted):
     * a retryable 503 with {@code Retry-After}, not a 500. Recognised by the SQLSTATE class 08 (connection
     * exception), 57P01–57P03 (server shutting down or starting) or the pool's acquisition timeout, among the
     * causes and the suppressed exceptions: a commit the server cut off reaches us as the transaction manager's
     * RollbackException, with the driver's error only suppressed inside it.
     */
    static boolean databaseUnavailable(Throwable e) {
        return inChain(e, ProblemMappers::connectionFailure);
    }

    private static boolean connectionFailure(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null
                    && (state.startsWith("08")
                            || state.equals("57P01")
                            || state.equals("57P02")
                            || state.equals("57P03"))) {
                return true;
            }
            return sql.getMessage() != null && sql.getMessage().startsWith("Acquisition timeout");
        }
        return false;
    }

    /**
     * A value the database refuses to store or compare: SQLSTATE class 22 (data exception — a NUL character in
     * text, a number out of range, a value too long). It came from the request, so the answer is 400.
     */
    static boolean invalidValue(Throwable e) {
        return inChain(
                e,
                t -> t instanceof SQLException sql
                        && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("22"));
    }

    /**
     * Whether {@code e}, one of its causes or one of their suppressed exceptions passes {@code test}: the one walk
     * of an exception's chain, which visits each throwable once (a cause cycle ends it) and at most 64 of them.
     */
    static boolean inChain(Throwable e, Predicate<Throwable> test) {
        return inChain(e, test, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean inChain(Throwable t, Predicate<Throwable> test, Set<Throwable> seen) {
        if (t == null || seen.size() > 64 || !seen.add(t)) {
            return false;
        }
        if (test.test(t)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (inChain(suppressed, test, seen)) {
                return true;
            }
        }
        return inChain(t.getCause(), test, seen);
    }

    private static boolean thrownBy(Throwable e, String className) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    private static Response undecodableBody(Throwable e) {
        LOG.debugf("400: body not decodable: %s", e.toString());
        return build(Problem.of(400, "Bad Request", "The request body cannot be decoded as its Content-Type says."))
                .build();
    }

    /**
     * A multipart body that ends before its closing boundary (or has none, or is empty): the parser's
     * {@code IOException}, which is the client's error, unlike an I/O failure while the parts are stored.
     */
    private static boolean truncatedMultipart(Throwable e) {
        return e instanceof java.io.IOException
                && e.getMessage() != null
                && e.getMessage().startsWith("Connection terminated parsing multipart")
                && thrownBy(e, FORM_BODY_HANDLER);
    }

    @ServerExceptionMapper(priority = PRIORITY + 1)
    public Response unexpected(Throwable e) {
        if (clientClosed(e)) {
            // nobody reads this answer; a 400 keeps it out of the 5xx metrics and the ERROR log
            LOG.debugf("400: the client closed the connection before the request was complete: %s", e.toString());
            return build(Problem.of(400, "Bad Request", "The connection was closed before the request was complete."))
                    .build();
        }
        if (truncatedMultipart(e)) {
            return undecodableBody(e);
        }
        if (databaseUnavailable(e)) {
            String requestId = UUID.randomUUID().toString();
            LOG.warnf("request %s answered 503, the database is unavailable: %s", requestId, e);
            return build(new Problem(
                            "about:blank",
                            "Service Unavailable",
                            503,
                            "The service is briefly unavailable. Try again in a moment.",
                            null,
                            requestId,
                            null))
                    .header("Retry-After", "1")
                    .build();
        }
        if (invalidValue(e)) {
            LOG.debugf("400: the database refused a value of the request: %s", e.toString());
            return build(Problem.of(
                            400,
                            "Bad Request",
                            "A value in the request cannot be stored (for example it contains a NUL character)."))
                    .build();
        }
        return serverError(e, 500, "Internal Server Error", "The server could not complete the request.");
    }

    /**
     * The client went away in the middle of its request (typically while sending a body): Vert.x's
     * {@code HttpClosedException}, anywhere in the causes or suppressed exceptions (the multipart parser and the
     * body stream wrap it in {@code IOException}s). Its client's doing, not a server error.
     */
    static boolean clientClosed(Throwable e) {
        return inChain(e, t -> t instanceof HttpClosedException);
    }

    public static Response unauthorized(String detail) {
        return build(Problem.of(401, "Unauthorized", detail))
                .header("WWW-Authenticate", BEARER_CHALLENGE)
                .build();
    }

    public static Response.ResponseBuilder build(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static Response serverError(Throwable e, int status, String title, String detail) {
        String requestId = UUID.randomUUID().toString();
        LOG.errorf(e, "request %s failed with %d", requestId, status);
        Problem problem = new Problem("about:blank", title, status, detail, null, requestId, null);
        Response.ResponseBuilder builder = build(problem);
        if (e instanceof ProblemException pe) {
            pe.headers().forEach(builder::header);
        }
        return builder.build();
    }

    private static Response badJson(String detail) {
        return build(Problem.of(400, "Bad Request", detail)).build();
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mie) {
            StringBuilder sb = new StringBuilder();
            for (var ref : mie.getPath()) {
                if (ref.getFieldName() != null) {
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    sb.append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
        return "";
    }

    /**
     * The refused field as the body spells it: {@code name}, {@code s3.region}, {@code scopes[2]},
     * {@code fieldMapping[email]} — without the method and parameter of a {@code @Valid} parameter and without
     * Bean Validation's {@code <list element>} names.
     */
    static String field(ConstraintViolation<?> v) {
        StringBuilder field = new StringBuilder();
        String last = "";
        for (Path.Node node : v.getPropertyPath()) {
            last = node.getName() == null ? "" : node.getName();
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, PARAMETER, CROSS_PARAMETER, RETURN_VALUE -> {
                    continue;
                }
                default -> {}
            }
            if (node.isInIterable() && !field.isEmpty()) {
                Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                field.append('[').append(at == null ? "" : at).append(']');
            }
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        // a constraint on the body as a whole (or a missing body): the parameter's name, as before
        return field.isEmpty() ? last : field.toString();
    }

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"),
            Map.entry(411, "Length Required"),
            Map.entry(412, "Precondition Failed"),
            Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(416, "Range Not Satisfiable"),
            Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    static String reason(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return REASONS.getOrDefault(status, known != null ? known.getReasonPhrase() : "Error");
    }

    private static String clientDetail(int status) {
        return switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "This method is not allowed here.";
            case 406 -> "No acceptable representation.";
            case 415 -> "This content type is not supported here.";
            case 401 -> "Authentication is required.";
            case 403 -> "You are not allowed to do this.";
            default -> "The request could not be processed.";
        };
    }
}
