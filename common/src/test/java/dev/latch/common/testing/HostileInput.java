package dev.latch.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Hostile input for every operation of a service, generated from the service's own OpenAPI document
 * ({@code GET /q/openapi?format=json}, read when the test runs), so an operation added to the service is
 * covered without changing a test. Every request goes over {@link RawHttp}, byte for byte.
 * <p>
 * Per operation, under the first authenticated context that gets past authentication (a user's access
 * token, an ADMIN's, a PAT, a client — whatever the service's test gives, in that order), starting from a
 * request built from the schemas (the baseline):
 * <ul>
 * <li>JSON bodies: malformed and truncated documents, wrong types, unknown, missing and duplicated fields,
 * huge, negative and fractional numbers, SQL / LDAP / path-traversal / CR LF / NUL / bidi / template
 * payloads and raw invalid UTF-8 and overlong encodings in every string field (nested objects included),
 * a 10 MB body (413 expected), other media types;</li>
 * <li>form bodies: the same per field, plus missing, empty, duplicated fields and broken {@code %} escapes;</li>
 * <li>query and path parameters: the same payloads, percent-encoded and raw, missing and duplicated
 * parameters, broken escapes, traversal segments, wrong types and out-of-range numbers;</li>
 * <li>headers: 64 KB headers and cookies, invalid bytes, duplicated and malformed {@code Authorization}
 * and {@code Content-Type}, payloads in documented header and cookie parameters;</li>
 * <li>every HTTP method (and an unknown one) on every path;</li>
 * <li>once per service, broken requests of the HTTP layer (request lines, header syntax, conflicting
 * lengths, an over-long URI).</li>
 * </ul>
 * Expected every time: a 4xx {@code application/problem+json} answer whose status the operation documents
 * (or, for a page a person sees, the HTML page it documents for that status), or a success the operation
 * documents; never a 5xx, a stack trace, a Java class name or SQL in a body, an
 * injected header, or a row written by a refused request (see {@link #rowCounts}). The only exception:
 * what Vert.x refuses in its HTTP codec before any route runs (431 for headers over
 * {@code quarkus.http.limits.max-header-size}, 414 for a request line over the initial-line limit, 400 or a
 * closed connection for a request it cannot parse) is answered by Vert.x itself with an empty body, which
 * Quarkus offers no hook to change; those answers are accepted for exactly those requests and listed in the
 * report.
 */
public final class HostileInput {

    /** What a probe must get. */
    enum Expect {
        /** A documented answer; a 4xx is problem+json. */
        API,
        /** 413 problem+json. */
        TOO_LARGE,
        /** As API, or refused by the HTTP codec (400/414/431 with no body, or the connection closed). */
        HTTP_LAYER,
        /** As API, for a path whose dot segments resolve to another path: that path's operation answers. */
        ELSEWHERE
    }

    /** Something wrong with one answer. */
    public record Finding(String operation, String probe, String context, int status, String what, String excerpt) {
        @Override
        public String toString() {
            return status + " " + operation + " [" + probe + "] as " + context + ": " + what
                    + (excerpt.isEmpty() ? "" : "\n      " + excerpt);
        }
    }

    /** What a run did and found. */
    public record Report(
            String service,
            int requests,
            int operations,
            Map<Integer, Integer> statuses,
            List<Finding> findings,
            Map<String, Integer> httpLayerRefusals,
            long millis) {

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(service)
                    .append(": ")
                    .append(requests)
                    .append(" requests on ")
                    .append(operations)
                    .append(" operations in ")
                    .append(millis)
                    .append(" ms; statuses ")
                    .append(statuses)
                    .append("; refused by the HTTP codec with an empty body (accepted): ")
                    .append(httpLayerRefusals);
            if (!findings.isEmpty()) {
                sb.append("\n").append(findings.size()).append(" findings:");
                findings.forEach(f -> sb.append("\n  ").append(f));
            }
            return sb.toString();
        }
    }

    record Param(String name, String in, boolean required, JsonNode schema) {}

    record Operation(
            String method, String template, List<Param> params, Map<String, JsonNode> bodies, JsonNode responses) {
        String id() {
            return method.toUpperCase(Locale.ROOT) + " " + template;
        }

        boolean documents(int status) {
            return responses.has(String.valueOf(status));
        }

        /** The documented media types of one answer. */
        Set<String> mediaTypes(int status) {
            JsonNode content = responses.path(String.valueOf(status)).path("content");
            Set<String> types = new java.util.TreeSet<>();
            content.fieldNames().forEachRemaining(types::add);
            return types;
        }
    }

    /** One request; {@code fill} bytes of {@code 'a'} follow {@code body} on the wire (a large body never held in memory). */
    record Probe(
            String name,
            String method,
            byte[] target,
            List<byte[]> headers,
            byte[] body,
            Expect expect,
            boolean withContext,
            long fill) {

        Probe(
                String name,
                String method,
                byte[] target,
                List<byte[]> headers,
                byte[] body,
                Expect expect,
                boolean withContext) {
            this(name, method, target, headers, body, expect, withContext, 0);
        }
    }

    /**
     * A value that is replaced by a new unique word in every request (a body field, a parameter): for an
     * operation that creates something under a name the caller chooses, so that each probe reaches validation
     * instead of the conflict with the previous one.
     */
    public static final String UNIQUE = "latchuniquevalue";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "LATCHPROBE");
    private static final String UNKNOWN_FIELD = "latchUnknownField";
    private static final String INJECTED_HEADER = "X-Latch-Injected";

    /** String payloads for every string field and parameter (the 10 000-character one only in bodies). */
    static final List<String> STRINGS = List.of(
            "' OR '1'='1' --",
            "1; DROP TABLE users; --",
            "\" OR \"\"=\"",
            "1' UNION SELECT null, version() --",
            "*)(uid=*))(|(uid=*",
            "admin)(&)(objectClass=*",
            "../../../../../../etc/passwd",
            "..\\..\\..\\..\\windows\\win.ini",
            "/%2e%2e/%2e%2e/etc/passwd",
            "a\r\n" + INJECTED_HEADER + ": 1",
            "a\r\n\r\n<html>injected",
            "a\u0000b",
            "\u202Egnp.exe\u202C",
            "\u2066x\u2069\u200F\u061C",
            "${jndi:ldap://127.0.0.1:1/x}",
            "{{7*7}}${7*7}<script>alert(1)</script>",
            "%s%n%x%d",
            "\uD83D\uDE00 \u00FC \uFEFF",
            "",
            " ");

    static final String LONG = "x".repeat(10_000);
    /** Raw bytes that are not valid UTF-8, or overlong / surrogate encodings of it. */
    static final List<byte[]> RAW = List.of(
            bytes(0xFF, 0xFE),
            bytes(0xC0, 0xAF),
            bytes(0xE0, 0x80, 0xAF),
            bytes(0xED, 0xA0, 0x80),
            bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0x80),
            bytes(0x61, 0xE2, 0x82));
    /** JSON escapes of what is no text: a lone surrogate, NUL. */
    static final List<String> JSON_ESCAPES = List.of("\\ud800", "\\udfff\\ud800", "\\u0000");

    static final List<String> BROKEN_ESCAPES = List.of("%", "%z", "%zz", "%%", "%u0041", "%F");
    static final List<String> NUMBERS = List.of(
            "-1",
            "0",
            "-0",
            "1.5",
            "2147483648",
            "-2147483649",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999999999999",
            "1e400",
            "1e-400",
            "-1e400",
            "NaN",
            "0x10");

    private final String service;
    private final URI base;
    private final RawHttp http;
    private final Map<String, List<byte[]>> contexts = new LinkedHashMap<>();
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, String> pinned = new HashMap<>();
    private final Set<String> skipped = new java.util.HashSet<>();
    private RowCounts rowCounts;
    private BiPredicate<String, Integer> writeAllowed = (operation, status) -> false;
    private Consumer<String> log = line -> {};

    private final List<Finding> findings = new ArrayList<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> httpLayer = new TreeMap<>();
    private final Map<String, Long> unique = new HashMap<>();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private Map<String, Long> lastCounts;
    private int requests;

    private HostileInput(String service, URI base) {
        this.service = service;
        this.base = base;
        this.http = new RawHttp(base.getHost(), base.getPort());
    }

    /** A run against the service at {@code base} (the test's {@code @TestHTTPResource("/")}). */
    public static HostileInput against(String service, URI base) {
        return new HostileInput(service, base);
    }

    /** An authenticated context: header lines such as {@code "Authorization: Bearer …"}. Tried in the order given. */
    public HostileInput context(String name, String... headerLines) {
        List<byte[]> lines = new ArrayList<>();
        for (String line : headerLines) {
            lines.add(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        contexts.put(name, lines);
        return this;
    }

    /** A valid value for every parameter or body field of this name (a real id, so that a request gets further). */
    public HostileInput value(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /** A valid value for a parameter or field of one path template only. */
    public HostileInput value(String template, String name, Object value) {
        values.put(template + " " + name, value);
        return this;
    }

    /** Runs an operation ("POST /v1/auth/keys/rotate") only as this context (one that may not change anything). */
    public HostileInput pin(String operation, String context) {
        pinned.put(operation, context);
        return this;
    }

    /** Leaves an operation out, for a reason the test gives. */
    public HostileInput skip(String operation) {
        skipped.add(operation);
        return this;
    }

    /** A refused request (4xx) must not change the number of rows of any table of this database. */
    public HostileInput rowCounts(RowCounts counts) {
        this.rowCounts = counts;
        return this;
    }

    /** Refused requests that write by design (a failed sign-in is audited): operation id and status. */
    public HostileInput writesAllowed(BiPredicate<String, Integer> allowed) {
        this.writeAllowed = allowed;
        return this;
    }

    public HostileInput log(Consumer<String> log) {
        this.log = log;
        return this;
    }

    // ---------------------------------------------------------------------------------------------- run

    public Report run() throws IOException {
        long started = System.currentTimeMillis();
        RawHttp.Answer doc = http.send(RawHttp.request(
                "GET",
                ascii("/q/openapi?format=json"),
                List.of(ascii("Accept: application/json")),
                null,
                false,
                host()));
        if (doc.status() != 200) {
            throw new IllegalStateException("GET /q/openapi answered " + doc.status());
        }
        JsonNode document = JSON.readTree(doc.body());
        List<Operation> operations = operations(document);
        if (rowCounts != null) {
            lastCounts = rowCounts.snapshot();
        }
        Map<String, List<Operation>> byPath = new LinkedHashMap<>();
        for (Operation op : operations) {
            byPath.computeIfAbsent(op.template(), t -> new ArrayList<>()).add(op);
        }
        for (Operation op : operations) {
            if (skipped.contains(op.id())) {
                continue;
            }
            long t = System.currentTimeMillis();
            int before = requests;
            String context = chooseContext(op);
            for (Probe p : probes(op)) {
                send(op, p, context);
            }
            log.accept(op.id() + " as " + context + ": " + (requests - before) + " requests, "
                    + (System.currentTimeMillis() - t) + " ms");
        }
        for (Map.Entry<String, List<Operation>> path : byPath.entrySet()) {
            methods(path.getKey(), path.getValue());
        }
        httpLayerProbes(operations.isEmpty() ? "/" : operations.get(0).template());
        return new Report(
                service,
                requests,
                operations.size(),
                statuses,
                List.copyOf(findings),
                httpLayer,
                System.currentTimeMillis() - started);
    }

    private String host() {
        return base.getHost() + ":" + base.getPort();
    }

    /** The first context whose baseline request is not refused for authentication; anonymous when none is needed. */
    private String chooseContext(Operation op) throws IOException {
        String pin = pinned.get(op.id());
        Probe baseline = baseline(op);
        if (pin != null) {
            send(op, baseline, pin);
            return pin;
        }
        String chosen = null;
        String succeeded = null;
        for (String context : contexts.keySet()) {
            int status = send(op, baseline, context);
            if (chosen == null && status != 401 && status != 403) {
                chosen = context;
            }
            if (succeeded == null && status >= 200 && status < 400) {
                succeeded = context;
            }
        }
        if (succeeded != null) {
            chosen = succeeded;
        }
        int anonymous = send(op, baseline, null);
        if (chosen == null) {
            chosen = anonymous != 401 && anonymous != 403 || contexts.isEmpty()
                    ? null
                    : contexts.keySet().iterator().next();
        }
        return chosen;
    }

    private int send(Operation op, Probe probe, String context) throws IOException {
        List<byte[]> headers = new ArrayList<>();
        if (probe.withContext() && context != null) {
            headers.addAll(contexts.get(context));
        }
        headers.addAll(probe.headers());
        byte[] target = unique(probe.target());
        byte[] body = probe.body() == null ? null : unique(probe.body());
        List<byte[]> head = new ArrayList<>(headers);
        if (probe.fill() > 0) {
            head.add(ascii("Content-Length: " + (body.length + probe.fill())));
        }
        byte[] request = RawHttp.request(probe.method(), target, head, body, probe.fill() == 0, host());
        RawHttp.Answer answer;
        try {
            answer = http.send(request, probe.fill());
        } catch (IOException e) {
            finding(op, probe, context, -1, "no answer: " + e.getMessage(), "");
            return -1;
        }
        requests++;
        statuses.merge(answer.status(), 1, Integer::sum);
        check(op, probe, context, answer);
        return answer.status();
    }

    private byte[] unique(byte[] data) {
        byte[] marker = ascii(UNIQUE);
        int at = find(data, marker, 0);
        if (at < 0) {
            return data;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 16);
        int from = 0;
        while (at >= 0) {
            out.write(data, from, at - from);
            out.writeBytes(ascii("u" + runId + unique.merge("unique", 1L, Long::sum)));
            from = at + marker.length;
            at = find(data, marker, from);
        }
        out.write(data, from, data.length - from);
        return out.toByteArray();
    }

    private static int find(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ checks

    private static final Pattern LEAK = Pattern.compile(
            "\\b(?:java|javax|jakarta|sun|io\\.quarkus|io\\.vertx|io\\.netty|io\\.smallrye|org\\.jboss|org\\.hibernate"
                    + "|org\\.postgresql|org\\.eclipse|com\\.fasterxml|software\\.amazon|dev\\.latch)\\.[a-z]\\w*\\."
                    + "|\\bat [\\w$.]+\\([\\w$]+\\.java:\\d+\\)|\\tat |Caused by:|[A-Z]\\w*(?:Exception|Error)\\b"
                    + "|\\bSQL|\\bHHH\\d|\\bPSQL|SQLSTATE|\\bsyntax error at\\b|\\bRESTEASY\\d|\\bjdbc:");

    /**
     * Quarkus answers 400 with no body, before any route, for a request target {@code java.net.URI} refuses
     * (a broken {@code %} escape, a control or space character): {@code VertxHttpRecorder}'s URI check, which
     * only the JVM-wide system property {@code vertx.disableURIValidation} turns off.
     */
    static boolean uriRejected(byte[] target) {
        try {
            new URI(new String(target, StandardCharsets.ISO_8859_1));
            return false;
        } catch (java.net.URISyntaxException e) {
            return true;
        }
    }

    private void check(Operation op, Probe original, String context, RawHttp.Answer answer) {
        Probe probe = original.expect() != Expect.TOO_LARGE
                        && !original.method().equals("RAW")
                        && uriRejected(original.target())
                ? new Probe(
                        original.name(),
                        original.method(),
                        original.target(),
                        original.headers(),
                        original.body(),
                        Expect.HTTP_LAYER,
                        original.withContext(),
                        original.fill())
                : original;
        int status = answer.status();
        String text = answer.text();
        boolean isOperation = op != null && op.method().equalsIgnoreCase(probe.method());
        if (status == 0) {
            if (probe.expect() == Expect.HTTP_LAYER) {
                httpLayer.merge("closed without answer", 1, Integer::sum);
            } else {
                finding(op, probe, context, status, "the connection was closed without an answer", "");
            }
            return;
        }
        if (status >= 500) {
            finding(op, probe, context, status, "a server error", excerpt(text));
        }
        if (probe.expect() == Expect.TOO_LARGE && status != 413) {
            finding(op, probe, context, status, "expected 413 for a body over the limit", excerpt(text));
        }
        if (status >= 400) {
            boolean head = probe.method().equals("HEAD");
            String type = answer.header("content-type");
            if (answer.body().length == 0
                    && probe.expect() == Expect.HTTP_LAYER
                    && (status == 400 || status == 414 || status == 431)
                    && type == null) {
                httpLayer.merge(String.valueOf(status), 1, Integer::sum);
            } else if (!head) {
                checkProblem(op, probe, context, answer, isOperation);
            }
            if (op != null && status != 413 && status < 500 && probe.expect() != Expect.ELSEWHERE) {
                if (isOperation || probe.method().equals("HEAD") && op.method().equals("get")) {
                    if (!op.documents(status) && !(probe.expect() == Expect.HTTP_LAYER && answer.body().length == 0)) {
                        finding(
                                op,
                                probe,
                                context,
                                status,
                                "a status the OpenAPI document does not list for " + op.id(),
                                excerpt(text));
                    }
                } else if (status != 405 && !probe.method().equals("OPTIONS")) {
                    // as OpenApiContract: a method that is no operation of a documented path is refused by the HTTP
                    // layer
                    finding(
                            op,
                            probe,
                            context,
                            status,
                            "expected 405 for a method that is no operation of the path",
                            excerpt(text));
                }
            }
        } else if (op != null && probe.expect() != Expect.ELSEWHERE) {
            if (isOperation) {
                if (!op.documents(status)) {
                    finding(op, probe, context, status, "a success the OpenAPI document does not list", excerpt(text));
                }
            } else if (!probe.method().equals("OPTIONS")
                    && !(probe.method().equals("HEAD") && op.method().equals("get"))) {
                finding(
                        op,
                        probe,
                        context,
                        status,
                        "a success for a method that is no operation of the path",
                        excerpt(text));
            }
        }
        if (LEAK.matcher(text).find() && (status >= 400 || text.contains("\tat ") || text.contains("Caused by:"))) {
            var m = LEAK.matcher(text);
            m.find();
            finding(op, probe, context, status, "internal detail in the body ('" + m.group() + "')", excerpt(text));
        }
        for (Map.Entry<String, List<String>> h : answer.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase(INJECTED_HEADER)
                    || h.getValue().stream()
                            .anyMatch(v -> v.contains(INJECTED_HEADER)
                                    || v.contains("\r")
                                    || v.contains("\n")
                                    || v.contains("injected"))) {
                finding(op, probe, context, status, "an injected response header: " + h, "");
            }
        }
        if (rowCounts != null) {
            Map<String, Long> now = rowCounts.snapshot();
            if (status >= 400 && !now.equals(lastCounts) && !writeAllowed.test(op == null ? "" : op.id(), status)) {
                Map<String, String> diff = new TreeMap<>();
                now.forEach((table, rows) -> {
                    Long was = lastCounts.get(table);
                    if (!rows.equals(was)) {
                        diff.put(table, was + " -> " + rows);
                    }
                });
                finding(op, probe, context, status, "a refused request changed rows: " + diff, "");
            }
            lastCounts = now;
        }
    }

    private void checkProblem(Operation op, Probe probe, String context, RawHttp.Answer answer, boolean isOperation) {
        int status = answer.status();
        String type = answer.header("content-type");
        String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        // RFC 6749 §5.2 errors (/oauth2/*) are application/json carrying the problem members, as documented
        boolean documentedJson = media.equals("application/json")
                && op != null
                && (isOperation && op.mediaTypes(status).contains("application/json")
                        || probe.expect() == Expect.ELSEWHERE);
        // the pages a person sees (the OpenID Provider's login, consent and error pages) answer a documented page
        if (media.equals("text/html")
                && op != null
                && isOperation
                && op.mediaTypes(status).contains("text/html")) {
            String text = answer.text();
            if (!text.startsWith("<!DOCTYPE html>")) {
                finding(op, probe, context, status, "a documented page that is no HTML document", excerpt(text));
            }
            return;
        }
        if (!media.equals("application/problem+json") && !documentedJson) {
            finding(
                    op,
                    probe,
                    context,
                    status,
                    "not application/problem+json but '" + type + "'",
                    excerpt(answer.text()));
            return;
        }
        try {
            JsonNode body = JSON.readTree(answer.body());
            if (body == null
                    || !body.isObject()
                    || body.path("status").asInt() != status
                    || !body.path("title").isTextual()) {
                finding(
                        op,
                        probe,
                        context,
                        status,
                        "a problem body without the right status and title",
                        excerpt(answer.text()));
            }
        } catch (IOException e) {
            finding(op, probe, context, status, "a problem body that is not JSON", excerpt(answer.text()));
        }
    }

    private void finding(Operation op, Probe probe, String context, int status, String what, String excerpt) {
        findings.add(new Finding(
                op == null ? "(HTTP layer)" : op.id(),
                probe.name(),
                context == null ? "anonymous" : context,
                status,
                what,
                excerpt));
    }

    private static String excerpt(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    // -------------------------------------------------------------------------------------- the document

    /** Header parameters that frame the request: the probe sets them itself (a body's length and type). */
    private static final Set<String> FRAMING =
            Set.of("content-length", "transfer-encoding", "host", "connection", "content-type");

    static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> {
            JsonNode item = path.getValue();
            List<Param> shared = params(document, item.path("parameters"));
            item.properties().forEach(e -> {
                String method = e.getKey();
                if (!Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace")
                        .contains(method)) {
                    return;
                }
                JsonNode node = e.getValue();
                List<Param> params = new ArrayList<>(shared);
                params.addAll(params(document, node.path("parameters")));
                Map<String, JsonNode> bodies = new LinkedHashMap<>();
                node.path("requestBody")
                        .path("content")
                        .properties()
                        .forEach(c -> bodies.put(
                                c.getKey(), resolve(document, c.getValue().path("schema"))));
                operations.add(new Operation(method, path.getKey(), params, bodies, node.path("responses")));
            });
        });
        return operations;
    }

    private static List<Param> params(JsonNode document, JsonNode list) {
        List<Param> params = new ArrayList<>();
        for (JsonNode p : list) {
            JsonNode resolved = resolve(document, p);
            if (resolved.path("in").asText().equals("header")
                    && FRAMING.contains(resolved.path("name").asText().toLowerCase(Locale.ROOT))) {
                continue;
            }
            params.add(new Param(
                    resolved.path("name").asText(),
                    resolved.path("in").asText(),
                    resolved.path("required").asBoolean(false),
                    resolve(document, resolved.path("schema"))));
        }
        return params;
    }

    /** A schema with its {@code $ref}s, {@code allOf}, {@code oneOf}/{@code anyOf} (first) resolved. */
    static JsonNode resolve(JsonNode document, JsonNode schema) {
        return resolve(document, schema, 0);
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema, int depth) {
        if (schema == null || schema.isMissingNode() || depth > 8) {
            return schema == null ? NODES.missingNode() : schema;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            JsonNode target = document;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part);
            }
            return resolve(document, target, depth + 1);
        }
        ObjectNode copy = schema.deepCopy();
        if (schema.has("allOf")) {
            copy.remove("allOf");
            for (JsonNode part : schema.get("allOf")) {
                JsonNode r = resolve(document, part, depth + 1);
                r.properties().forEach(e -> {
                    if (e.getKey().equals("properties") && copy.has("properties")) {
                        ((ObjectNode) copy.get("properties")).setAll((ObjectNode) e.getValue());
                    } else if (!copy.has(e.getKey())) {
                        copy.set(e.getKey(), e.getValue());
                    }
                });
            }
        }
        for (String alt : List.of("oneOf", "anyOf")) {
            if (schema.has(alt) && schema.get(alt).size() > 0) {
                copy.remove(alt);
                JsonNode r = resolve(document, schema.get(alt).get(0), depth + 1);
                r.properties().forEach(e -> copy.putIfAbsent(e.getKey(), e.getValue()));
            }
        }
        if (copy.has("properties")) {
            ObjectNode props = NODES.objectNode();
            copy.get("properties")
                    .properties()
                    .forEach(e -> props.set(e.getKey(), resolve(document, e.getValue(), depth + 1)));
            copy.set("properties", props);
        }
        if (copy.has("items")) {
            copy.set("items", resolve(document, copy.get("items"), depth + 1));
        }
        return copy;
    }

    static String type(JsonNode schema) {
        JsonNode t = schema.path("type");
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!x.asText().equals("null")) {
                    return x.asText();
                }
            }
        }
        if (t.isTextual()) {
            return t.asText();
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items")) {
            return "array";
        }
        return "string";
    }

    // ------------------------------------------------------------------------------------------ samples

    private Object override(Operation op, String name) {
        Object v = values.get(op.template() + " " + name);
        return v != null ? v : values.get(name);
    }

    /** A valid-looking value for a schema (an override by name first). */
    private JsonNode sample(Operation op, String name, JsonNode schema, int depth) {
        Object override = name == null ? null : override(op, name);
        if (override != null) {
            return JSON.valueToTree(override);
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        if (schema.has("default") && !schema.get("default").isNull()) {
            return schema.get("default");
        }
        switch (type(schema)) {
            case "integer":
            case "number":
                return NODES.numberNode(Math.max(1, schema.path("minimum").asLong(1)));
            case "boolean":
                return NODES.booleanNode(true);
            case "array": {
                ArrayNode a = NODES.arrayNode();
                if (depth < 4) {
                    a.add(sample(op, null, schema.path("items"), depth + 1));
                }
                return a;
            }
            case "object": {
                ObjectNode o = NODES.objectNode();
                if (depth < 4) {
                    schema.path("properties")
                            .properties()
                            .forEach(e -> o.set(e.getKey(), sample(op, e.getKey(), e.getValue(), depth + 1)));
                }
                return o;
            }
            default:
                return TextNode.valueOf(sampleString(name, schema));
        }
    }

    private String sampleString(String name, JsonNode schema) {
        String format = schema.path("format").asText("");
        long n = unique.merge("n", 1L, Long::sum);
        String word = "probe" + runId + n;
        return switch (format) {
            case "uuid" -> UUID.randomUUID().toString();
            case "date-time" -> "2026-01-01T00:00:00Z";
            case "date" -> "2026-01-01";
            case "email" -> word + "@example.com";
            case "uri", "url" -> "https://example.com/" + word;
            default -> {
                String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
                if (lower.contains("email")) {
                    yield word + "@example.com";
                }
                if (lower.endsWith("url") || lower.endsWith("uri") || lower.equals("issuer")) {
                    yield "https://example.com/" + word;
                }
                int min = schema.path("minLength").asInt(0);
                yield word.length() >= min ? word : word + "x".repeat(min - word.length());
            }
        };
    }

    private String pathSample(Operation op, Param p) {
        Object override = override(op, p.name());
        if (override != null) {
            return override.toString();
        }
        String type = type(p.schema());
        if (type.equals("integer") || type.equals("number")) {
            return "1";
        }
        if (p.schema().path("format").asText("").equals("uuid")) {
            return UUID.randomUUID().toString();
        }
        return "probe" + runId;
    }

    // ------------------------------------------------------------------------------------------- probes

    /** The pieces of one request, changed one at a time from the baseline. */
    private final class Shape {
        final Operation op;
        final Map<String, byte[]> path = new LinkedHashMap<>();
        final List<byte[]> query = new ArrayList<>();
        final List<byte[]> headers = new ArrayList<>();
        String bodyType;
        byte[] body;

        Shape(Operation op) {
            this.op = op;
        }

        Shape copy() {
            Shape s = new Shape(op);
            s.path.putAll(path);
            s.query.addAll(query);
            s.headers.addAll(headers);
            s.bodyType = bodyType;
            s.body = body;
            return s;
        }

        byte[] target() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String part : op.template().split("(?=\\{)|(?<=\\})")) {
                if (part.startsWith("{") && part.endsWith("}")) {
                    out.writeBytes(path.getOrDefault(part.substring(1, part.length() - 1), ascii("probe")));
                } else {
                    out.writeBytes(ascii(part));
                }
            }
            if (!query.isEmpty()) {
                out.write('?');
                for (int i = 0; i < query.size(); i++) {
                    if (i > 0) {
                        out.write('&');
                    }
                    out.writeBytes(query.get(i));
                }
            }
            return out.toByteArray();
        }

        Probe probe(String name, Expect expect) {
            return probe(name, op.method().toUpperCase(Locale.ROOT), expect, true);
        }

        Probe probe(String name, String method, Expect expect, boolean withContext) {
            List<byte[]> h = new ArrayList<>(headers);
            if (bodyType != null && body != null) {
                h.add(0, ascii("Content-Type: " + bodyType));
            }
            return new Probe(name, method, target(), h, body, expect, withContext);
        }
    }

    private Shape baselineShape(Operation op) {
        Shape s = new Shape(op);
        for (Param p : op.params()) {
            switch (p.in()) {
                case "path" -> s.path.put(p.name(), ascii(encode(pathSample(op, p))));
                case "query" -> {
                    // optional parameters only in their own probes: the baseline is the smallest valid request
                    if (p.required() || override(op, p.name()) != null) {
                        s.query.add(queryPair(op, p));
                    }
                }
                case "header" -> s.headers.add(ascii(p.name() + ": " + text(sample(op, p.name(), p.schema(), 0))));
                case "cookie" ->
                    s.headers.add(
                            ascii("Cookie: " + p.name() + "=" + encode(text(sample(op, p.name(), p.schema(), 0)))));
                default -> {}
            }
        }
        String type = bodyType(op);
        if (type != null) {
            s.bodyType = type;
            JsonNode schema = op.bodies().get(type);
            if (type.contains("json")) {
                s.body = json(sample(op, null, schema, 0));
            } else if (type.equals("application/x-www-form-urlencoded")) {
                s.body = ascii(form(formSample(op, schema)));
            } else if (type.startsWith("multipart/")) {
                s.bodyType = "multipart/form-data; boundary=latchprobe";
                s.body = multipart("file", "probe.txt", "text/plain", ascii("probe"));
            } else {
                s.bodyType = type.contains("*") ? "text/plain" : type;
                s.body = ascii("probe");
            }
        }
        return s;
    }

    private byte[] queryPair(Operation op, Param p) {
        return ascii(encode(p.name()) + "=" + encode(text(sample(op, p.name(), p.schema(), 0))));
    }

    private Probe baseline(Operation op) {
        return baselineShape(op).probe("baseline", Expect.API);
    }

    private static String bodyType(Operation op) {
        if (op.bodies().isEmpty()) {
            return null;
        }
        for (String preferred :
                List.of("application/json", "application/x-www-form-urlencoded", "multipart/form-data")) {
            if (op.bodies().containsKey(preferred)) {
                return preferred;
            }
        }
        return op.bodies().keySet().iterator().next();
    }

    private Map<String, String> formSample(Operation op, JsonNode schema) {
        Map<String, String> form = new LinkedHashMap<>();
        schema.path("properties")
                .properties()
                .forEach(e -> form.put(e.getKey(), text(sample(op, e.getKey(), e.getValue(), 1))));
        return form;
    }

    private List<Probe> probes(Operation op) {
        List<Probe> probes = new ArrayList<>();
        Shape base = baselineShape(op);
        pathProbes(op, base, probes);
        queryProbes(op, base, probes);
        headerProbes(op, base, probes);
        if (base.bodyType != null) {
            if (base.bodyType.contains("json")) {
                jsonProbes(op, base, probes);
            } else if (base.bodyType.equals("application/x-www-form-urlencoded")) {
                formProbes(op, base, probes);
            } else if (base.bodyType.startsWith("multipart/")) {
                multipartProbes(base, probes);
            }
            bodyKindProbes(op, base, probes);
        }
        return probes;
    }

    private void pathProbes(Operation op, Shape base, List<Probe> probes) {
        for (Param p : op.params()) {
            if (!p.in().equals("path")) {
                continue;
            }
            Map<String, byte[]> variants = new LinkedHashMap<>();
            for (String s : STRINGS) {
                if (!s.isEmpty()) {
                    variants.put("payload " + describe(s), ascii(encode(s)));
                }
            }
            for (byte[] raw : RAW) {
                variants.put("raw bytes " + hex(raw), raw);
                variants.put("encoded bytes " + hex(raw), ascii(percent(raw)));
            }
            BROKEN_ESCAPES.forEach(e -> variants.put("broken escape " + e, ascii(e)));
            for (String segment : List.of(
                    "..%2f..%2f..%2fetc%2fpasswd",
                    "%2e%2e%5c%2e%2e", "..;", "x;a=b", "%00", "%0d%0a" + INJECTED_HEADER + ":%201", "a".repeat(3000))) {
                variants.put("segment '" + abbreviate(segment) + "'", ascii(segment));
            }
            // dot segments and an empty one resolve to another path (another operation, or none)
            for (String segment : List.of("..", ".", "%2e%2e", "%2E.", "", "../../../../..")) {
                Shape s = base.copy();
                s.path.put(p.name(), ascii(segment));
                probes.add(s.probe("path " + p.name() + ": segment '" + segment + "'", Expect.ELSEWHERE));
            }
            for (String wrong : List.of(
                    "not-a-uuid",
                    "00000000-0000-0000-0000-00000000000g",
                    "-1",
                    "99999999999999999999",
                    "1e400",
                    "%20",
                    "+")) {
                variants.put("value " + wrong, ascii(wrong));
            }
            variants.forEach((name, value) -> {
                Shape s = base.copy();
                s.path.put(p.name(), value);
                probes.add(s.probe("path " + p.name() + ": " + name, Expect.API));
            });
            Shape tooLong = base.copy();
            tooLong.path.put(p.name(), ascii("a".repeat(9000)));
            probes.add(tooLong.probe("path " + p.name() + ": 9000 characters", Expect.HTTP_LAYER));
        }
    }

    private void queryProbes(Operation op, Shape base, List<Probe> probes) {
        List<Param> query =
                op.params().stream().filter(p -> p.in().equals("query")).toList();
        Shape unknown = base.copy();
        unknown.query.add(ascii(UNKNOWN_FIELD + "=1"));
        probes.add(unknown.probe("query: unknown parameter", Expect.API));
        for (String broken : List.of("&&&", "=", "==", "a=b=c", "%", "%zz=1", "=%FF", "&=&", ";")) {
            Shape s = base.copy();
            s.query.add(ascii(broken));
            probes.add(s.probe("query: '" + broken + "'", Expect.API));
        }
        for (Param p : query) {
            String name = encode(p.name());
            byte[] present = base.query.stream()
                    .filter(q -> new String(q, StandardCharsets.ISO_8859_1).startsWith(name + "="))
                    .findFirst()
                    .orElse(null);
            byte[] validPair = present != null ? present : queryPair(op, p);
            String valid = new String(validPair, StandardCharsets.ISO_8859_1);
            Map<String, byte[]> variants = new LinkedHashMap<>();
            variants.put(present != null ? "missing" : "valid", present != null ? null : validPair);
            variants.put("empty", ascii(name + "="));
            variants.put("no '='", ascii(name));
            variants.put("duplicated", ascii(valid + "&" + name + "=" + encode("probe2")));
            for (String s : STRINGS) {
                variants.put("payload " + describe(s), ascii(name + "=" + encode(s)));
            }
            variants.put("payload 3000 characters", ascii(name + "=" + "q".repeat(3000)));
            for (byte[] raw : RAW) {
                variants.put("raw bytes " + hex(raw), concat(ascii(name + "="), raw));
                variants.put("encoded bytes " + hex(raw), ascii(name + "=" + percent(raw)));
            }
            BROKEN_ESCAPES.forEach(e -> variants.put("broken escape " + e, ascii(name + "=" + e)));
            String type = type(p.schema());
            List<String> wrong = new ArrayList<>(List.of("abc", "true", "[]", "{}", "%5B%5D"));
            if (type.equals("integer") || type.equals("number")) {
                wrong.addAll(NUMBERS);
            }
            wrong.forEach(w -> variants.put("value " + w, ascii(name + "=" + w)));
            variants.forEach((label, value) -> {
                Shape s = base.copy();
                if (present != null) {
                    s.query.remove(present);
                }
                if (value != null) {
                    s.query.add(value);
                }
                probes.add(s.probe("query " + p.name() + ": " + label, Expect.API));
            });
        }
    }

    private void headerProbes(Operation op, Shape base, List<Probe> probes) {
        String big = "h".repeat(64 * 1024);
        Shape s = base.copy();
        s.headers.add(ascii("X-Latch-Probe: " + big));
        probes.add(s.probe("header: 64 KB", Expect.HTTP_LAYER));
        s = base.copy();
        s.headers.add(ascii("Cookie: latch_refresh=" + big));
        probes.add(s.probe("cookie: 64 KB", Expect.HTTP_LAYER));
        s = base.copy();
        s.headers.add(
                ascii("Cookie: latch_refresh=' OR '1'='1; latch_session=../../etc/passwd; latch_oauth=%FF%00; =; ;;"));
        probes.add(s.probe("cookie: payloads", Expect.API));
        s = base.copy();
        s.headers.add(concat(ascii("X-Latch-Probe: "), bytes(0xFF, 0xC0, 0xAF, 0x00, 0x7F)));
        probes.add(s.probe("header: invalid bytes", Expect.HTTP_LAYER));
        s = base.copy();
        s.headers.add(concat(ascii("Cookie: latch_refresh="), bytes(0xFF, 0xC0, 0xAF)));
        probes.add(s.probe("cookie: invalid bytes", Expect.HTTP_LAYER));
        s = base.copy();
        s.headers.add(ascii("Authorization: Bearer probe"));
        probes.add(s.probe("header: Authorization twice", Expect.API));
        s = base.copy();
        s.headers.add(ascii("Accept: application/xml"));
        probes.add(s.probe("header: Accept application/xml", Expect.API));
        s = base.copy();
        s.headers.add(ascii("Accept: ;;;q=x, */*;q=nope"));
        probes.add(s.probe("header: Accept malformed", Expect.API));
        s = base.copy();
        s.headers.add(ascii("X-Forwarded-For: ' OR 1=1, ../../, 999.999.999.999"));
        s.headers.add(ascii("X-Forwarded-Host: evil.example:99999, %00"));
        s.headers.add(ascii("Forwarded: for=\"[::1\";proto=gopher;host=\"a b\""));
        probes.add(s.probe("header: forged forwarding", Expect.API));
        for (String auth : List.of(
                "Bearer ' OR '1'='1' --",
                "Bearer latch_pat_" + "0".repeat(38),
                "Bearer latch_pat_' OR 1=1 --",
                "Bearer " + "e".repeat(9000),
                "Bearer ",
                "Bearer a.b.c",
                "Basic !!!",
                "Basic " + java.util.Base64.getEncoder().encodeToString("a:b:c\u0000".getBytes(StandardCharsets.UTF_8)),
                "Bearer ../../etc/passwd",
                "Negotiate x",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")) {
            Shape a = base.copy();
            a.headers.add(ascii("Authorization: " + auth));
            probes.add(a.probe(
                    "Authorization: " + abbreviate(auth), op.method().toUpperCase(Locale.ROOT), Expect.API, false));
        }
        Shape rawAuth = base.copy();
        rawAuth.headers.add(concat(ascii("Authorization: Bearer "), bytes(0xFF, 0xC0, 0xAF)));
        probes.add(rawAuth.probe(
                "Authorization: invalid bytes", op.method().toUpperCase(Locale.ROOT), Expect.HTTP_LAYER, false));
        for (Param p : op.params()) {
            if (!p.in().equals("header") && !p.in().equals("cookie")) {
                continue;
            }
            for (String payload : STRINGS) {
                if (payload.contains("\r") || payload.contains("\n") || payload.contains("\u0000")) {
                    continue;
                }
                Shape h = base.copy();
                h.headers.removeIf(line -> new String(line, StandardCharsets.ISO_8859_1).startsWith(p.name() + ":"));
                h.headers.add(ascii(
                        p.in().equals("header") ? p.name() + ": " + payload : "Cookie: " + p.name() + "=" + payload));
                probes.add(h.probe(p.in() + " " + p.name() + ": payload " + describe(payload), Expect.API));
            }
        }
    }

    private void jsonProbes(Operation op, Shape base, List<Probe> probes) {
        JsonNode schema = op.bodies().get(base.bodyType.split(";")[0]);
        JsonNode valid = sample(op, null, schema, 0);
        byte[] validBytes = json(valid);
        Map<String, byte[]> documents = new LinkedHashMap<>();
        for (String broken : List.of(
                "",
                "{",
                "}",
                "{\"",
                "{\"a\":",
                "{\"a\":1,}",
                "{'a':1}",
                "{a:1}",
                "nul",
                "[",
                "]",
                "null",
                "[]",
                "\"x\"",
                "1",
                "true",
                "{}",
                "{\"a\":1}{\"b\":2}",
                "{\"a\":1} trailing",
                "{\"a\":01}",
                "{\"a\":\"\\x41\"}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":\"unterminated}",
                "/* comment */ {}",
                "{\"a\":NaN}",
                "{\"a\":Infinity}")) {
            documents.put("document '" + broken + "'", ascii(broken));
        }
        documents.put("truncated baseline", Arrays.copyOf(validBytes, Math.max(1, validBytes.length / 2)));
        documents.put("truncated by one", Arrays.copyOf(validBytes, Math.max(1, validBytes.length - 1)));
        documents.put("baseline and garbage", concat(validBytes, ascii("}}]]")));
        documents.put("byte order mark and baseline", concat(bytes(0xEF, 0xBB, 0xBF), validBytes));
        documents.put(
                "UTF-16 baseline", new String(validBytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16));
        documents.put("nested 5000 deep arrays", ascii("[".repeat(5000) + "]".repeat(5000)));
        documents.put("nested 3000 deep objects", ascii("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)));
        documents.put("60 000 digit number", ascii("{\"a\":" + "9".repeat(60_000) + "}"));
        documents.put("NUL bytes", bytes(0, 0, 0, 0));
        for (byte[] raw : RAW) {
            documents.put("raw bytes " + hex(raw) + " outside strings", concat(raw, validBytes));
        }
        if (valid.isObject()) {
            ObjectNode unknown = ((ObjectNode) valid.deepCopy()).put(UNKNOWN_FIELD, "x");
            documents.put("unknown field", json(unknown));
            ObjectNode unknownObject = (ObjectNode) valid.deepCopy();
            unknownObject.putObject(UNKNOWN_FIELD).put("nested", 1);
            documents.put("unknown object field", json(unknownObject));
            documents.put("__proto__ field", json(((ObjectNode) valid.deepCopy()).put("__proto__", "x")));
            documents.put("@class field", json(((ObjectNode) valid.deepCopy()).put("@class", "java.lang.Runtime")));
            valid.fieldNames().forEachRemaining(field -> {
                ObjectNode missing = (ObjectNode) valid.deepCopy();
                missing.remove(field);
                documents.put("missing " + field, json(missing));
                String text = new String(validBytes, StandardCharsets.UTF_8);
                documents.put(
                        "duplicated " + field,
                        ascii(text.substring(0, text.length() - 1) + ",\"" + field + "\":"
                                + jsonText(payloadFor(valid.get(field))) + "}"));
            });
            fieldProbes(valid, valid, List.of(), schema, documents, 0);
        }
        documents.forEach((name, body) -> {
            Shape s = base.copy();
            s.body = body;
            probes.add(s.probe("json: " + name, Expect.API));
        });
    }

    private static JsonNode payloadFor(JsonNode valid) {
        return valid.isTextual() ? TextNode.valueOf("probe-duplicate") : valid.isNumber() ? NODES.numberNode(2) : valid;
    }

    /** Every field of an object (and of the objects it holds) replaced by wrong types, payloads and raw bytes. */
    private void fieldProbes(
            JsonNode root,
            JsonNode valid,
            List<String> path,
            JsonNode schema,
            Map<String, byte[]> documents,
            int depth) {
        if (depth > 2) {
            return;
        }
        valid.properties().forEach(e -> {
            List<String> field = new ArrayList<>(path);
            field.add(e.getKey());
            String label = String.join(".", field);
            JsonNode fieldSchema = schema.path("properties").path(e.getKey());
            JsonNode value = e.getValue();
            List<String> tokens = new ArrayList<>(List.of("null", "123", "true", "[]", "{}", "\"x\""));
            if (value.isTextual()) {
                STRINGS.forEach(s -> tokens.add(jsonText(TextNode.valueOf(s))));
                tokens.add(jsonText(TextNode.valueOf(LONG)));
                JSON_ESCAPES.forEach(esc -> tokens.add("\"" + esc + "\""));
                tokens.add("[\"x\"]");
            } else if (value.isNumber()) {
                tokens.addAll(NUMBERS);
                tokens.addAll(List.of("\"1\"", "\"abc\"", "1.0", "01", "+1", "-", "1e"));
            } else if (value.isBoolean()) {
                tokens.addAll(List.of("\"true\"", "\"yes\"", "1", "0", "TRUE"));
            } else if (value.isArray()) {
                tokens.addAll(List.of("[null]", "[123]", "[[]]", "[{}]", "[\"\"]", "[\"x\",\"x\"]"));
                for (String s : List.of(
                        "' OR '1'='1' --",
                        "../../etc/passwd",
                        "a\r\n" + INJECTED_HEADER + ": 1",
                        "a\u0000b",
                        "\u202Ex",
                        "*)(uid=*")) {
                    tokens.add("[" + jsonText(TextNode.valueOf(s)) + "]");
                }
                tokens.add("[" + String.join(",", java.util.Collections.nCopies(5000, "\"x\"")) + "]");
            }
            for (String token : tokens) {
                documents.put(label + " = " + abbreviate(token), replace(root, field, ascii(token)));
            }
            if (value.isTextual()) {
                for (byte[] raw : RAW) {
                    documents.put(
                            label + " = raw bytes " + hex(raw),
                            replace(root, field, concat(ascii("\""), raw, ascii("\""))));
                }
            }
            if (value.isObject()) {
                fieldProbes(root, value, field, fieldSchema, documents, depth + 1);
            }
        });
    }

    /** The body with the value at {@code field} replaced by raw JSON text. */
    private static byte[] replace(JsonNode root, List<String> field, byte[] token) {
        JsonNode copy = root.deepCopy();
        JsonNode holder = copy;
        for (int i = 0; i < field.size() - 1; i++) {
            holder = holder.get(field.get(i));
        }
        String marker = "@@latch-marker@@";
        ((ObjectNode) holder).put(field.get(field.size() - 1), marker);
        byte[] text = json(copy);
        byte[] quoted = ascii("\"" + marker + "\"");
        int at = indexOf(text, quoted);
        return concat(
                Arrays.copyOfRange(text, 0, at), token, Arrays.copyOfRange(text, at + quoted.length, text.length));
    }

    private void formProbes(Operation op, Shape base, List<Probe> probes) {
        Map<String, String> valid = formSample(op, op.bodies().get("application/x-www-form-urlencoded"));
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (String broken : List.of(
                "",
                "=",
                "&",
                "&&&",
                "=&=",
                "%",
                "a=%",
                "a=%z",
                "%zz=1",
                "a",
                "a=b=c",
                ";",
                "a=1;b=2",
                "a[]=1&a[]=2",
                "a[b]=1",
                "+=+")) {
            bodies.put("body '" + broken + "'", ascii(broken));
        }
        bodies.put("unknown field", ascii(form(valid) + "&" + UNKNOWN_FIELD + "=x"));
        for (byte[] raw : RAW) {
            bodies.put("raw bytes " + hex(raw) + " as a name", concat(raw, ascii("=1&" + form(valid))));
        }
        for (String field : valid.keySet()) {
            Map<String, String> missing = new LinkedHashMap<>(valid);
            missing.remove(field);
            bodies.put("missing " + field, ascii(form(missing)));
            bodies.put(
                    "duplicated " + field, ascii(form(valid) + "&" + encode(field) + "=" + encode("probe-duplicate")));
            bodies.put("duplicated empty " + field, ascii(form(valid) + "&" + encode(field) + "="));
            for (String s : STRINGS) {
                bodies.put(field + " = " + describe(s), ascii(form(with(valid, field, encode(s)))));
            }
            bodies.put(field + " = 10 000 characters", ascii(form(with(valid, field, LONG))));
            bodies.put(field + " = no '='", ascii(formWithout(valid, field) + "&" + encode(field)));
            for (byte[] raw : RAW) {
                bodies.put(field + " = raw bytes " + hex(raw), replaceForm(valid, field, raw));
                bodies.put(field + " = encoded bytes " + hex(raw), ascii(form(with(valid, field, percent(raw)))));
            }
            for (String e : BROKEN_ESCAPES) {
                bodies.put(field + " = broken escape " + e, ascii(form(with(valid, field, e))));
            }
        }
        bodies.forEach((name, body) -> {
            Shape s = base.copy();
            s.body = body;
            probes.add(s.probe("form: " + name, Expect.API));
        });
    }

    /** {@code valid} with one raw (already encoded) value. */
    private static Map<String, String> with(Map<String, String> valid, String field, String encodedValue) {
        Map<String, String> m = new LinkedHashMap<>();
        valid.forEach((k, v) -> m.put(k, k.equals(field) ? "\u0000RAW" + encodedValue : v));
        return m;
    }

    private static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(encode(k)).append('=').append(v.startsWith("\u0000RAW") ? v.substring(4) : encode(v));
        });
        return sb.toString();
    }

    private static String formWithout(Map<String, String> valid, String field) {
        Map<String, String> m = new LinkedHashMap<>(valid);
        m.remove(field);
        return form(m);
    }

    private static byte[] replaceForm(Map<String, String> valid, String field, byte[] raw) {
        String marker = "latchmarker";
        byte[] text = ascii(form(with(valid, field, marker)));
        int at = indexOf(text, ascii(marker));
        return concat(
                Arrays.copyOfRange(text, 0, at), raw, Arrays.copyOfRange(text, at + marker.length(), text.length));
    }

    private void multipartProbes(Shape base, List<Probe> probes) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put(
                "no closing boundary",
                ascii("--latchprobe\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nprobe"));
        bodies.put("garbage", ascii("this is not multipart"));
        bodies.put("no headers", ascii("--latchprobe\r\n\r\nprobe\r\n--latchprobe--\r\n"));
        for (String filename : List.of(
                "../../../etc/passwd",
                "..\\..\\win.ini",
                "a\u0000.txt",
                "\u202Etxt.exe",
                "' OR '1'='1",
                "a\".txt",
                "",
                "x".repeat(5000),
                "CON",
                ".htaccess",
                "%2e%2e%2fx")) {
            bodies.put("filename " + abbreviate(filename), multipart("file", filename, "text/plain", ascii("probe")));
        }
        bodies.put(
                "filename raw bytes",
                concat(
                        ascii("--latchprobe\r\nContent-Disposition: form-data; name=\"file\"; filename=\""),
                        bytes(0xFF, 0xC0, 0xAF),
                        ascii("\"\r\nContent-Type: text/plain\r\n\r\nprobe\r\n--latchprobe--\r\n")));
        bodies.put(
                "two files",
                concat(
                        multipart("file", "a.txt", "text/plain", ascii("a")),
                        multipart("file", "b.txt", "text/plain", ascii("b"))));
        bodies.put("other field", multipart("other", "a.txt", "text/plain", ascii("a")));
        bodies.put("part type garbage", multipart("file", "a.txt", ";;;", ascii("a")));
        bodies.forEach((name, body) -> {
            Shape s = base.copy();
            s.body = body;
            probes.add(s.probe("multipart: " + name, Expect.API));
        });
        for (String type : List.of(
                "multipart/form-data",
                "multipart/form-data; boundary=",
                "multipart/form-data; boundary=\"",
                "multipart/form-data; boundary=" + "b".repeat(500))) {
            Shape s = base.copy();
            s.bodyType = type;
            probes.add(s.probe("multipart: Content-Type '" + abbreviate(type) + "'", Expect.API));
        }
    }

    /** Body-independent probes for every operation with a body: media types, encodings, size. */
    private void bodyKindProbes(Operation op, Shape base, List<Probe> probes) {
        for (String type : List.of(
                "text/plain",
                "application/xml",
                "application/json; charset=nope",
                "application/json; charset=UTF-16",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/octet-stream",
                "*/*",
                ";;;",
                "application/json\u0000")) {
            Shape s = base.copy();
            s.bodyType = type;
            // Netty refuses a header value with a NUL in its codec
            probes.add(s.probe(
                    "Content-Type '" + describe(type) + "'", type.contains("\u0000") ? Expect.HTTP_LAYER : Expect.API));
        }
        Shape none = base.copy();
        none.bodyType = null;
        probes.add(none.probe("no Content-Type", Expect.API));
        Shape twice = base.copy();
        twice.headers.add(ascii("Content-Type: text/plain"));
        probes.add(twice.probe("Content-Type twice", Expect.API));
        Shape gzip = base.copy();
        gzip.headers.add(ascii("Content-Encoding: gzip"));
        probes.add(gzip.probe("Content-Encoding gzip, not gzipped", Expect.API));
        Shape empty = base.copy();
        empty.body = new byte[0];
        probes.add(empty.probe("empty body", Expect.API));
        boolean jsonOrForm =
                op.bodies().keySet().stream().allMatch(t -> t.contains("json") || t.contains("x-www-form-urlencoded"));
        if (jsonOrForm) {
            // 10 MB: a JSON string or form value of 'a's, streamed (the closing bytes are 'a's too: it is refused
            // unread)
            Shape big = base.copy();
            big.body = base.bodyType.contains("json") ? ascii("{\"a\":\"") : ascii("a=");
            Probe p = big.probe("10 MB body", Expect.TOO_LARGE);
            probes.add(new Probe(
                    p.name(),
                    p.method(),
                    p.target(),
                    p.headers(),
                    p.body(),
                    p.expect(),
                    p.withContext(),
                    10L * 1024 * 1024 - big.body.length));
        }
    }

    /** Every method on a path: the operations' own with their baseline, the others refused (405). */
    private void methods(String template, List<Operation> ops) throws IOException {
        Operation first = ops.get(0);
        for (String method : METHODS) {
            Operation op = ops.stream()
                    .filter(o -> o.method().equalsIgnoreCase(method))
                    .findFirst()
                    .orElse(null);
            if (op != null) {
                continue;
            }
            Operation describedBy = method.equals("HEAD")
                    ? ops.stream()
                            .filter(o -> o.method().equals("get"))
                            .findFirst()
                            .orElse(first)
                    : first;
            Shape s = baselineShape(describedBy);
            String context =
                    contexts.isEmpty() ? null : contexts.keySet().iterator().next();
            send(describedBy, s.probe("method " + method, method, Expect.API, true), context);
            s.body = ascii("{}");
            s.bodyType = "application/json";
            send(describedBy, s.probe("method " + method + " with a body", method, Expect.API, true), context);
        }
    }

    /** Broken requests the HTTP codec sees first; once per service. */
    private void httpLayerProbes(String template) throws IOException {
        String h = host();
        List<Object[]> raw = List.of(
                new Object[] {"garbage request line", ascii("GARBAGE\r\n\r\n")},
                new Object[] {"request line without version", ascii("GET /\r\nHost: " + h + "\r\n\r\n")},
                new Object[] {"HTTP/9.9", ascii("GET / HTTP/9.9\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")},
                new Object[] {"HTTP/1.0 without Host", ascii("GET / HTTP/1.0\r\n\r\n")},
                new Object[] {"HTTP/1.1 without Host", ascii("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")},
                new Object[] {
                    "two Host headers", ascii("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "Host with payload", ascii("GET / HTTP/1.1\r\nHost: %s%n%s' OR 1=1\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "Host with bad port",
                    ascii("GET / HTTP/1.1\r\nHost: localhost:99999999\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "NUL in request line", ascii("GET /\u0000 HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "space in target", ascii("GET /a b HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "absolute-form target",
                    ascii("GET http://evil.example/ HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "asterisk target", ascii("OPTIONS * HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "target without slash", ascii("GET probe HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "header without colon",
                    ascii("GET / HTTP/1.1\r\nHost: " + h + "\r\nNoColon\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "space before colon",
                    ascii("GET / HTTP/1.1\r\nHost: " + h + "\r\nX-A : b\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "obsolete line folding",
                    ascii("GET / HTTP/1.1\r\nHost: " + h + "\r\nX-A: b\r\n c\r\nConnection: close\r\n\r\n")
                },
                new Object[] {"bare LF line ends", ascii("GET / HTTP/1.1\nHost: " + h + "\nConnection: close\n\n")},
                new Object[] {
                    "conflicting Content-Length",
                    ascii("POST " + template + " HTTP/1.1\r\nHost: " + h
                            + "\r\nContent-Length: 2\r\nContent-Length: 4\r\nConnection: close\r\n\r\n{}{}")
                },
                new Object[] {
                    "Content-Length and chunked",
                    ascii(
                            "POST " + template + " HTTP/1.1\r\nHost: " + h
                                    + "\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n")
                },
                new Object[] {
                    "negative Content-Length",
                    ascii("POST " + template + " HTTP/1.1\r\nHost: " + h
                            + "\r\nContent-Length: -1\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "huge Content-Length",
                    ascii("POST " + template + " HTTP/1.1\r\nHost: " + h
                            + "\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "Content-Length not a number",
                    ascii("POST " + template + " HTTP/1.1\r\nHost: " + h
                            + "\r\nContent-Length: abc\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "broken chunk size",
                    ascii(
                            "POST " + template + " HTTP/1.1\r\nHost: " + h
                                    + "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
                },
                new Object[] {
                    "unknown transfer coding",
                    ascii("POST " + template + " HTTP/1.1\r\nHost: " + h
                            + "\r\nTransfer-Encoding: gzip, chunked, latch\r\nConnection: close\r\n\r\n0\r\n\r\n")
                },
                new Object[] {
                    "request line over the limit",
                    ascii("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "1000 headers",
                    ascii("GET / HTTP/1.1\r\nHost: " + h + "\r\n" + "X-A: b\r\n".repeat(1000)
                            + "Connection: close\r\n\r\n")
                },
                new Object[] {
                    "unknown path payload",
                    ascii("GET /'%20OR%20'1'='1/..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: " + h
                            + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "unknown path raw bytes",
                    concat(
                            ascii("GET /"),
                            bytes(0xFF, 0xC0, 0xAF),
                            ascii(" HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n"))
                },
                new Object[] {
                    "unknown path broken escape",
                    ascii("GET /%zz%C0%AF%00 HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "traversal above the root",
                    ascii("GET /../../../etc/passwd HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {
                    "encoded traversal above the root",
                    ascii("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                },
                new Object[] {"h2 preface over HTTP/1.1", ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")});
        for (Object[] r : raw) {
            Probe p = new Probe((String) r[0], "RAW", ascii("-"), List.of(), null, Expect.HTTP_LAYER, false);
            RawHttp.Answer answer;
            try {
                answer = http.send((byte[]) r[1]);
            } catch (IOException e) {
                finding(null, p, null, -1, "no answer: " + e.getMessage(), "");
                continue;
            }
            requests++;
            statuses.merge(answer.status(), 1, Integer::sum);
            check(null, p, null, answer);
        }
    }

    // ------------------------------------------------------------------------------------------- bytes

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("marker not found");
    }

    /** Percent-encodes everything but the unreserved characters (RFC 3986 §2.3), UTF-8. */
    static String encode(String s) {
        return percentExcept(s.getBytes(StandardCharsets.UTF_8), true);
    }

    static String percent(byte[] raw) {
        return percentExcept(raw, false);
    }

    private static String percentExcept(byte[] raw, boolean keepUnreserved) {
        StringBuilder sb = new StringBuilder();
        for (byte b : raw) {
            int c = b & 0xFF;
            if (keepUnreserved
                    && (c >= 'a' && c <= 'z'
                            || c >= 'A' && c <= 'Z'
                            || c >= '0' && c <= '9'
                            || c == '-'
                            || c == '.'
                            || c == '_'
                            || c == '~')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static String hex(byte[] raw) {
        StringBuilder sb = new StringBuilder();
        for (byte b : raw) {
            sb.append(String.format("%02X", b & 0xFF));
        }
        return sb.toString();
    }

    private static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jsonText(JsonNode node) {
        return new String(json(node), StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node) {
        return node.isTextual()
                ? node.asText()
                : node.isArray() && node.size() > 0 ? text(node.get(0)) : node.toString();
    }

    private static byte[] multipart(String field, String filename, String type, byte[] content) {
        return concat(
                ascii("--latchprobe\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename
                        + "\"\r\nContent-Type: " + type + "\r\n\r\n"),
                content,
                ascii("\r\n--latchprobe--\r\n"));
    }

    private static String describe(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : abbreviate(s).toCharArray()) {
            sb.append(c < 0x20 || c >= 0x7F ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return "'" + sb + "'";
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 20) + "…(" + s.length() + ")" : s;
    }
}
