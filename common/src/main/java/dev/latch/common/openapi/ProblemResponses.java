package dev.latch.common.openapi;

import dev.latch.common.error.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * The one definition of Latch's error answers in every service's OpenAPI document: the {@code Problem}
 * schema (RFC 9457, derived from {@link Problem}) and one {@code application/problem+json} response per
 * status under {@code #/components/responses/}. Operations name the statuses they really answer with
 * {@code @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)}.
 * <p>
 * The answers that {@code common} itself gives on every route of a kind are added here to every such
 * operation that does not document them already, so no operation can forget them:
 * <ul>
 * <li>a secured operation (one with a security requirement): 401 (bearer token missing, invalid or
 * expired — {@code LatchPrincipalFactory}) and 403 (role, or the scopes of a personal access token —
 * {@code PersonalAccessTokenScopes});</li>
 * <li>a POST, PUT or PATCH operation, and any operation with a request body: 413 for a body over 64 KiB
 * or the upload limit, whether the operation reads a body or not ({@code RequestBodyLimits});</li>
 * <li>an operation whose request body has a declared media type: 415 for any other, or for a {@code Content-Type}
 * that does not parse ({@code ProblemMappers}),
 * and for a JSON body 400 when it does not parse;</li>
 * <li>an operation with parameters or a body: 400 for one the framework cannot read or the database refuses
 * ({@code ProblemMappers});</li>
 * <li>every operation: 406 for an {@code Accept} header that excludes its media types, and 503 with
 * {@code Retry-After} when a store it needs is briefly unreachable ({@code ProblemMappers}: the database's
 * connection failures).</li>
 * </ul>
 * Quarkus' own automatic 401/403 entries (no body) are replaced by these.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String NOT_ACCEPTABLE = "NotAcceptable";
    public static final String CONFLICT = "Conflict";
    public static final String CONTENT_TOO_LARGE = "ContentTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String RANGE_NOT_SATISFIABLE = "RangeNotSatisfiable";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String BAD_GATEWAY = "BadGateway";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    /** The schema name of the problem body. */
    public static final String SCHEMA = "Problem";

    private static final String RESPONSES = "#/components/responses/";

    private record Definition(
            String status, String name, String description, String header, String headerDescription) {}

    private static final List<Definition> DEFINITIONS = List.of(
            new Definition("400", BAD_REQUEST, "The request is not valid (the detail says what is wrong).", null, null),
            new Definition(
                    "401",
                    UNAUTHORIZED,
                    "Authentication is missing or failed.",
                    "WWW-Authenticate",
                    "Bearer error=\"invalid_token\""),
            new Definition(
                    "403",
                    FORBIDDEN,
                    "The caller may not do this (role, token kind or personal access token scope).",
                    null,
                    null),
            new Definition("404", NOT_FOUND, "No such resource.", null, null),
            new Definition(
                    "406", NOT_ACCEPTABLE, "The Accept header excludes every media type of the answer.", null, null),
            new Definition("409", CONFLICT, "The request conflicts with the current state.", null, null),
            new Definition("413", CONTENT_TOO_LARGE, "The request body is larger than the limit.", null, null),
            new Definition("415", UNSUPPORTED_MEDIA_TYPE, "The body's media type is not accepted here.", null, null),
            new Definition(
                    "416",
                    RANGE_NOT_SATISFIABLE,
                    "No byte of the requested range is in the file.",
                    "Content-Range",
                    "bytes */{size}"),
            new Definition(
                    "429",
                    TOO_MANY_REQUESTS,
                    "Too many attempts; try again later.",
                    "Retry-After",
                    "Seconds to wait before trying again."),
            new Definition(
                    "502", BAD_GATEWAY, "An upstream service (identity provider, auth-service) failed.", null, null),
            new Definition(
                    "503",
                    SERVICE_UNAVAILABLE,
                    "A backing service is unavailable; try again later.",
                    "Retry-After",
                    "Seconds to wait, when known."));

    private static final Set<PathItem.HttpMethod> BODY_METHODS =
            Set.of(PathItem.HttpMethod.POST, PathItem.HttpMethod.PUT, PathItem.HttpMethod.PATCH);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSchema(
                SCHEMA,
                schemaOf(Problem.class)
                        .description("An RFC 9457 problem: type, title, status, detail; requestId on 5xx answers.")
                        .addRequired("type")
                        .addRequired("title")
                        .addRequired("status"));
        for (Definition d : DEFINITIONS) {
            components.addResponse(d.name(), response(d));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            if (item.getOperations() == null) {
                continue;
            }
            item.getOperations().forEach((method, operation) -> addCommonAnswers(method, operation, openAPI));
        }
    }

    private static void addCommonAnswers(PathItem.HttpMethod method, Operation operation, OpenAPI openAPI) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean secured = operation.getSecurity() != null
                ? !operation.getSecurity().isEmpty()
                : openAPI.getSecurity() != null && !openAPI.getSecurity().isEmpty();
        if (secured) {
            ensure(responses, "401", UNAUTHORIZED);
            ensure(responses, "403", FORBIDDEN);
        }
        if (operation.getRequestBody() != null || BODY_METHODS.contains(method)) {
            ensure(responses, "413", CONTENT_TOO_LARGE);
        }
        // any operation can meet its database (or Redis, or S3) briefly unreachable: 503 with Retry-After
        // (ProblemMappers)
        ensure(responses, "503", SERVICE_UNAVAILABLE);
        if (operation.getRequestBody() != null) {
            var content = operation.getRequestBody().getContent();
            Map<String, ?> types =
                    content == null || content.getMediaTypes() == null ? Map.of() : content.getMediaTypes();
            // also where any type is accepted: a Content-Type that does not parse (";;;") is 415
            if (!types.isEmpty()) {
                ensure(responses, "415", UNSUPPORTED_MEDIA_TYPE);
            }
            if (types.containsKey("application/json")) {
                ensure(responses, "400", BAD_REQUEST);
            }
        }
        // a parameter or body the framework cannot read (a value that does not convert, a broken form escape, a
        // value the database refuses such as a NUL character): 400 (ProblemMappers)
        if (operation.getRequestBody() != null
                || operation.getParameters() != null
                        && !operation.getParameters().isEmpty()) {
            ensure(responses, "400", BAD_REQUEST);
        }
        // an Accept header that excludes every media type the operation answers with (Quarkus REST, ProblemMappers)
        ensure(responses, "406", NOT_ACCEPTABLE);
    }

    /** Sets the shared response for this status unless the operation documents one with a body already. */
    private static void ensure(APIResponses responses, String status, String name) {
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null
                || existing.getRef() == null
                        && (existing.getContent() == null
                                || existing.getContent().getMediaTypes() == null
                                || existing.getContent().getMediaTypes().isEmpty())) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(RESPONSES + name));
        }
    }

    private static APIResponse response(Definition d) {
        APIResponse response = OASFactory.createAPIResponse()
                .description(d.description())
                .content(OASFactory.createContent()
                        .addMediaType(
                                Problem.MEDIA_TYPE,
                                OASFactory.createMediaType()
                                        .schema(OASFactory.createSchema().ref("#/components/schemas/" + SCHEMA))));
        if (d.header() != null) {
            Header header = OASFactory.createHeader()
                    .description(d.headerDescription())
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
            response.addHeader(d.header(), header);
        }
        return response;
    }

    /** The JSON schema of a record of strings, numbers, booleans, lists and records, read from its components. */
    static Schema schemaOf(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return OASFactory.createSchema()
                    .addType(Schema.SchemaType.ARRAY)
                    .items(schemaOf(p.getActualTypeArguments()[0]));
        }
        if (!(type instanceof Class<?> c)) {
            throw new IllegalArgumentException("no schema for " + type);
        }
        if (c == String.class) {
            return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return OASFactory.createSchema().addType(Schema.SchemaType.INTEGER);
        }
        if (c == boolean.class || c == Boolean.class) {
            return OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN);
        }
        if (!c.isRecord()) {
            throw new IllegalArgumentException("no schema for " + c);
        }
        Schema schema = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT);
        for (RecordComponent component : c.getRecordComponents()) {
            schema.addProperty(component.getName(), schemaOf(component.getGenericType()));
        }
        return schema;
    }
}
