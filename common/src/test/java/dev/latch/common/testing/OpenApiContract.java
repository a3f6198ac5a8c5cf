package dev.latch.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document of the packaged service against what its tests observed. A service's
 * {@code OpenApiContractIT} ({@code @QuarkusIntegrationTest}) extends this; the observations are the
 * {@link ObservedResponses} its {@code @QuarkusTest} run (surefire, before the {@code *IT} run) recorded.
 * <ul>
 * <li>Every observed (method, path, status) must be documented: the path matched to the document's most
 * specific path template that has the method, and the status listed under that operation's responses.
 * A request whose path matches a template but whose method is no operation there must have been refused
 * by the HTTP layer — 405, 413 for a body over the limit, or 400 for a body or header it cannot read (both
 * refused before any routing, e.g. a POST with a broken form body to a GET-only path) — or be an
 * {@code OPTIONS} request (a CORS preflight or the automatic {@code Allow} answer of the
 * HTTP layer, no operation of the API); {@code HEAD} counts as {@code GET}. Paths that match no template (the 404 of an unknown path, static files such as the broker's
 * landing page) and {@code /q/*} are not API operations and are left out.</li>
 * <li>Every documented operation must have been observed at least once, so the document cannot describe
 * an operation the tests never call.</li>
 * </ul>
 * Each test lists all its gaps in one failure.
 * <p>
 * The build writes the document to {@code target/openapi/openapi.yaml}
 * ({@code quarkus.smallrye-openapi.store-schema-directory}); the repository keeps a copy in
 * {@code docs/openapi/<module>.yaml}, and a build whose document differs from the copy fails, so a change
 * of the HTTP contract is always a visible change of that file.
 */
public abstract class OpenApiContract {

    /** What the HTTP layer answers, before any operation, to a method that is no operation of the path. */
    private static final Set<String> HTTP_LAYER_REFUSALS = Set.of("400", "405", "413");

    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void swaggerUiIsServed() {
        given().get("/q/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"));
    }

    @Test
    void checkedInDocumentIsTheBuildsDocument() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        Path built = module.resolve("target/openapi/openapi.yaml");
        Path checkedIn = module.resolveSibling("docs").resolve("openapi").resolve(module.getFileName() + ".yaml");
        if (!Files.exists(built)) {
            fail(
                    "The build wrote no OpenAPI document at " + built
                            + ": quarkus.smallrye-openapi.store-schema-directory=target/openapi is missing from application.properties");
        }
        String expected = Files.exists(checkedIn) ? Files.readString(checkedIn, StandardCharsets.UTF_8) : "";
        String actual = Files.readString(built, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("The OpenAPI document the build produced differs from the checked-in " + module.relativize(checkedIn)
                    + " (first difference at line " + firstDifferentLine(expected, actual) + "). If the HTTP contract "
                    + "changed on purpose: cp " + module.relativize(built) + " " + module.relativize(checkedIn));
        }
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        int i = 0;
        while (i < x.length && i < y.length && x[i].equals(y[i])) {
            i++;
        }
        return i + 1;
    }

    @Test
    void everyObservedAnswerIsDocumented() throws IOException {
        Comparison c = compare();
        if (!c.undocumented.isEmpty()) {
            StringBuilder message =
                    new StringBuilder("Answers the tests observed that the OpenAPI document does not list ("
                            + c.undocumented.size() + "):\n");
            c.undocumented.forEach((gap, example) -> message.append("  ")
                    .append(gap)
                    .append("   e.g. ")
                    .append(example)
                    .append('\n'));
            message.append("Not API operations, left out: ").append(c.unmatched);
            fail(message.toString());
        }
    }

    @Test
    void everyDocumentedOperationIsObserved() throws IOException {
        Comparison c = compare();
        if (!c.unobserved.isEmpty()) {
            fail("Operations of the OpenAPI document no test called (" + c.unobserved.size() + "):\n  "
                    + String.join("\n  ", c.unobserved));
        }
    }

    private record Template(String path, Pattern pattern, int literals, Set<String> methods, JsonNode item) {}

    /** Gaps ("METHOD /template STATUS" → an observed path), unobserved operations, and paths that are no operation. */
    private record Comparison(Map<String, String> undocumented, Set<String> unobserved, Set<String> unmatched) {}

    private static Comparison compare() throws IOException {
        List<String[]> observed = ObservedResponses.read();
        assertFalse(
                observed.isEmpty(),
                "Nothing was recorded in " + ObservedResponses.DIRECTORY.toAbsolutePath()
                        + ": the module's @QuarkusTest tests run first (./mvnw verify runs them before the *IT tests).");
        String json = given().accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        List<Template> templates = templates(new ObjectMapper().readTree(json));
        Map<String, String> undocumented = new TreeMap<>();
        Set<String> unobserved = new TreeSet<>();
        Set<String> unmatched = new TreeSet<>();
        for (Template t : templates) {
            t.methods().forEach(m -> unobserved.add(m.toUpperCase(Locale.ROOT) + " " + t.path()));
        }
        for (String[] o : observed) {
            String method = o[0].toLowerCase(Locale.ROOT);
            String path = o[1].length() > 1 && o[1].endsWith("/") ? o[1].substring(0, o[1].length() - 1) : o[1];
            String status = o[2];
            if (path.equals("/q") || path.startsWith("/q/")) {
                continue;
            }
            List<Template> matching = templates.stream()
                    .filter(t -> t.pattern().matcher(path).matches())
                    .toList();
            if (matching.isEmpty()) {
                unmatched.add(o[0] + " " + path + " " + status);
                continue;
            }
            String documented = method.equals("head") ? "get" : method;
            // JAX-RS picks the most specific path first: GET /attachments/uploads is that path's 405, not GET
            // /attachments/{uid}
            if (!matching.get(0).methods().contains(documented) && HTTP_LAYER_REFUSALS.contains(status)) {
                continue;
            }
            Template t = matching.stream()
                    .filter(x -> x.methods().contains(documented))
                    .findFirst()
                    .orElse(null);
            if (t == null) {
                if (!HTTP_LAYER_REFUSALS.contains(status) && !method.equals("options")) {
                    undocumented.putIfAbsent(
                            o[0] + " " + matching.get(0).path() + " (no such operation) " + status, path);
                }
                continue;
            }
            String operation = documented.toUpperCase(Locale.ROOT) + " " + t.path();
            unobserved.remove(operation);
            if (!t.item().path(documented).path("responses").has(status)) {
                undocumented.putIfAbsent(operation + " " + status, o[0] + " " + path);
            }
        }
        return new Comparison(undocumented, unobserved, unmatched);
    }

    /** The document's path templates, most specific (most literal characters) first, as JAX-RS matches them. */
    private static List<Template> templates(JsonNode document) {
        List<Template> templates = new ArrayList<>();
        document.path("paths").properties().forEach(e -> {
            String path = e.getKey();
            StringBuilder regex = new StringBuilder();
            int literals = 0;
            for (String part : path.split("(?=\\{)|(?<=\\})")) {
                if (part.startsWith("{") && part.endsWith("}")) {
                    regex.append("[^/]+");
                } else {
                    regex.append(Pattern.quote(part));
                    literals += part.length();
                }
            }
            Set<String> methods = new TreeSet<>();
            e.getValue().fieldNames().forEachRemaining(name -> {
                if (METHODS.contains(name)) {
                    methods.add(name);
                }
            });
            templates.add(new Template(path, Pattern.compile(regex.toString()), literals, methods, e.getValue()));
        });
        templates.sort(Comparator.comparingInt(Template::literals).reversed());
        return templates;
    }
}
