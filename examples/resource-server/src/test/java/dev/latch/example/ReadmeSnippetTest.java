package dev.latch.example;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's section "Verifying Latch tokens in another service" and this example stay identical. Each
 * code block there is preceded by a marker naming the example's file it copies:
 * {@code <!-- example: src/main/resources/application.properties -->} (the part of the file between
 * {@code # readme:begin} and {@code # readme:end}) or {@code <!-- example: src/main/java/….java -->} (the
 * whole file). A difference fails with a line diff.
 */
class ReadmeSnippetTest {

    private static final Pattern MARKED_BLOCK =
            Pattern.compile("<!-- example: (\\S+) -->\\s*\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);

    private static final List<String> REQUIRED = List.of(
            "src/main/resources/application.properties",
            "src/main/java/dev/latch/example/HelloResource.java",
            "src/main/java/dev/latch/example/LatchPersonalAccessTokens.java",
            "src/main/java/dev/latch/example/AccessTokenType.java",
            "src/main/java/dev/latch/example/EmptyScope.java");

    @Test
    void theReadmeShowsThisExampleVerbatim() throws IOException {
        Path readme = Path.of(System.getProperty("latch.example.readme", "../../README.md"));
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        Matcher m = MARKED_BLOCK.matcher(text);
        List<String> seen = new ArrayList<>();
        StringBuilder differences = new StringBuilder();
        while (m.find()) {
            String file = m.group(1);
            seen.add(file);
            List<String> expected = example(file);
            List<String> shown = m.group(2).lines().toList();
            String diff = diff(expected, shown);
            if (!diff.isEmpty()) {
                differences
                        .append("\n")
                        .append(readme)
                        .append(" vs examples/resource-server/")
                        .append(file)
                        .append(" (- example, + README):\n")
                        .append(diff);
            }
        }
        for (String file : REQUIRED) {
            if (!seen.contains(file)) {
                differences
                        .append("\nthe README has no block marked <!-- example: ")
                        .append(file)
                        .append(" -->");
            }
        }
        if (!differences.isEmpty()) {
            fail("The README and the example resource server differ:" + differences);
        }
    }

    @Test
    void theSnippetNamesTheChartsServiceAndNoSecret() throws IOException {
        List<String> snippet = example("src/main/resources/application.properties");
        assertFalse(snippet.isEmpty());
        String all = String.join("\n", snippet);
        if (!all.contains("quarkus.oidc.auth-server-url=http://latch-auth-service:8081")) {
            fail("the snippet must name the chart's Service latch-auth-service:\n" + all);
        }
        if (!all.contains("quarkus.oidc.credentials.client-secret.value=${LATCH_INTROSPECTION_CLIENT_SECRET}")) {
            fail("the introspection secret must come from the environment:\n" + all);
        }
    }

    /** The example's lines that the README copies. */
    private static List<String> example(String file) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        if (!file.endsWith(".properties")) {
            return lines;
        }
        int begin = lines.indexOf("# readme:begin");
        int end = lines.indexOf("# readme:end");
        if (begin < 0 || end < begin) {
            fail(file + " has no '# readme:begin' … '# readme:end' block");
        }
        return lines.subList(begin + 1, end);
    }

    /** A plain line diff (longest common subsequence); empty when equal. */
    static String diff(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        int j = 0;
        boolean differs = false;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.append("  ").append(a.get(i)).append('\n');
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.append("+ ").append(b.get(j)).append('\n');
                differs = true;
                j++;
            } else {
                out.append("- ").append(a.get(i)).append('\n');
                differs = true;
                i++;
            }
        }
        return differs ? out.toString() : "";
    }
}
