package dev.latch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secret hygiene of the whole build. This is the reactor's last module, so by the time it runs every
 * other module's tests have run: it reads every log line the services wrote during them — the test
 * JVMs' log files ({@code target/logs/test-service.log*}, also of the packaged *IT runs), the production
 * starts ({@code target/production-start-*.log}), the local run's logs — and fails on any password,
 * client secret, refresh token, PAT, authorization code, provider secret or private key the suites used:
 * <ul>
 * <li>the values the tests recorded as they used them ({@code target/secret-ledger.txt} of each module,
 * written by common's {@code SecretLedger});</li>
 * <li>the secrets of the configuration the tests ran with (every {@code *secret*}, {@code *password*},
 * {@code *encryption-key*} value in the modules' {@code application.properties}) and the secret
 * constants of the test sources;</li>
 * <li>anything shaped like a PAT ({@code latch_pat_…}), a PEM private key or a private JWK ({@code "d":}).</li>
 * </ul>
 * Lines written by the test peers themselves (the in-process OIDC server, S3Proxy, WireMock), which see
 * codes and secrets by design, are not Latch's logs and are skipped.
 */
class LogHygieneTest {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Pattern TOKENISH = Pattern.compile("[A-Za-z0-9_-]{16,}");
    static final Pattern SECRET_CONSTANT =
            Pattern.compile("(?:PASSWORD|SECRET|SECRET_KEY|CLIENT_SECRET|ADMIN_PASSWORD)\\s*=\\s*\"([^\"]{8,})\"");
    static final Pattern SECRET_PROPERTY = Pattern.compile("(?i).*(secret|password|encryption-key|credential)$");
    static final Map<String, Pattern> SHAPES = Map.of(
            "PAT", Pattern.compile("latch_pat_[A-Za-z0-9_-]{16,}"),
            "PEM private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
            "private JWK", Pattern.compile("\"d\"\\s*:\\s*\"[A-Za-z0-9_-]{20,}\""));
    static final Pattern TEST_PEER = Pattern.compile(
            "\\[(?:no\\.nav\\.|n\\.n\\.|org\\.gaul\\.|o\\.g\\.|org\\.jclouds|o\\.j\\.|com\\.github\\.tomakehurst|wiremock|org\\.eclipse\\.jetty)");

    @Test
    void noServiceLogHoldsASecretTheTestsUsed() throws IOException {
        Secrets secrets = collectSecrets();
        List<Path> logs = logs();
        assertTrue(
                secrets.recorded >= 20,
                "only " + secrets.recorded + " secrets recorded in " + ROOT
                        + "/*/target/secret-ledger.txt: run the whole build (./mvnw verify) so every module's tests run before this check");
        assertTrue(logs.size() >= 3, "only " + logs.size() + " service logs found under " + ROOT + ": " + logs);

        List<String> leaks = new ArrayList<>();
        long lines = 0;
        for (Path log : logs) {
            lines += scan(log, secrets, leaks);
        }
        assertTrue(lines >= 200, "only " + lines + " log lines in " + logs);
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " secret(s) in the logs (" + lines + " lines in " + logs.size()
                    + " files checked against " + secrets.size() + " secrets):\n"
                    + String.join("\n", leaks.subList(0, Math.min(40, leaks.size()))));
        }
        System.out.printf(
                "log hygiene: %d lines in %d log files, %d secrets (%d recorded by the tests), no leak%n",
                lines, logs.size(), secrets.size(), secrets.recorded);
    }

    @Test
    void theScanFindsEachKindOfLeak() {
        Secrets secrets = new Secrets();
        secrets.add("refresh token", "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0");
        secrets.add("password", "correct horse battery");
        List<String> leaks = new ArrayList<>();
        String[] lines = {
            "12:00:00,000 INFO  [dev.latch.auth.X] (w-1) rotating Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0 now",
            "12:00:00,000 WARN  [dev.latch.auth.Y] (w-1) body {\"password\":\"correct horse battery\"}",
            "12:00:00,000 INFO  [dev.latch.auth.Z] (w-1) token latch_pat_abcdefghijklmnopqrstuv_123",
            "-----BEGIN PRIVATE KEY-----",
            "{\"kty\":\"RSA\",\"d\":\"abcdefghijklmnopqrstuvwxyz\"}",
            "12:00:00,000 INFO  [no.nav.security.mock.oauth2.http.OAuth2HttpServer] (t) Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0",
            "12:00:00,000 INFO  [dev.latch.auth.Q] (w-1) nothing secret here, hash 9f86d081884c7d659a2feaa0c55ad015",
        };
        for (int i = 0; i < lines.length; i++) {
            check(lines[i], "example.log:" + (i + 1), secrets, leaks);
        }
        assertEquals(5, leaks.size(), String.join("\n", leaks));
    }

    private static long scan(Path log, Secrets secrets, List<String> leaks) throws IOException {
        long count = 0;
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (BufferedReader in =
                new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(log), decoder))) {
            String line;
            while ((line = in.readLine()) != null) {
                count++;
                check(line, ROOT.relativize(log) + ":" + count, secrets, leaks);
            }
        }
        return count;
    }

    static void check(String line, String where, Secrets secrets, List<String> leaks) {
        if (TEST_PEER.matcher(line).find()) {
            return;
        }
        Matcher tokens = TOKENISH.matcher(line);
        while (tokens.find()) {
            String kind = secrets.tokens.get(tokens.group());
            if (kind != null) {
                leaks.add(where + ": " + kind + " " + masked(tokens.group()));
            }
        }
        for (Map.Entry<String, String> other : secrets.phrases.entrySet()) {
            if (line.contains(other.getKey())) {
                leaks.add(where + ": " + other.getValue() + " " + masked(other.getKey()));
            }
        }
        SHAPES.forEach((kind, shape) -> {
            if (shape.matcher(line).find()) {
                leaks.add(where + ": " + kind);
            }
        });
    }

    private static String masked(String secret) {
        return "\"" + secret.substring(0, 4) + "…\" (" + secret.length() + " characters)";
    }

    /** The secrets to look for: token-like ones are matched as whole words, the others as substrings. */
    static final class Secrets {
        final Map<String, String> tokens = new HashMap<>();
        final Map<String, String> phrases = new LinkedHashMap<>();
        int recorded;

        void add(String kind, String value) {
            if (value == null || value.length() < 8 || value.startsWith("${")) {
                return;
            }
            if (TOKENISH.matcher(value).matches()) {
                tokens.putIfAbsent(value, kind);
            } else {
                phrases.putIfAbsent(value, kind);
            }
        }

        int size() {
            return tokens.size() + phrases.size();
        }
    }

    private static Secrets collectSecrets() throws IOException {
        Secrets secrets = new Secrets();
        for (Path ledger : files(p -> p.getFileName().toString().equals("secret-ledger.txt"))) {
            for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    secrets.add(line.substring(0, tab), line.substring(tab + 1));
                    secrets.recorded++;
                }
            }
        }
        try (Stream<Path> sources = Files.walk(ROOT)) {
            for (Path source : sources.filter(Files::isRegularFile)
                    .filter(LogHygieneTest::isSource)
                    .toList()) {
                String name = source.getFileName().toString();
                if (name.endsWith(".properties")) {
                    Properties properties = new Properties();
                    try (var in = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
                        properties.load(in);
                    }
                    properties.stringPropertyNames().stream()
                            .filter(k -> SECRET_PROPERTY.matcher(k).matches())
                            .forEach(k -> secrets.add(
                                    "configured " + k, properties.getProperty(k).trim()));
                } else {
                    Matcher m = SECRET_CONSTANT.matcher(Files.readString(source, StandardCharsets.UTF_8));
                    while (m.find()) {
                        secrets.add("test constant in " + name, m.group(1));
                    }
                }
            }
        }
        return secrets;
    }

    private static boolean isSource(Path p) {
        String s = p.toString();
        return !s.contains("/target/")
                && !s.contains("/node_modules/")
                && !s.contains("/.git/")
                && (s.contains("/src/main/resources/") && s.endsWith(".properties")
                        || s.contains("/src/test/") && (s.endsWith(".java") || s.endsWith(".properties")));
    }

    /** Every log a service wrote during the build, in every module's target/ (not bench's own). */
    private static List<Path> logs() throws IOException {
        return files(p -> p.getFileName().toString().matches(".*\\.log(\\.\\d+)?"));
    }

    private static List<Path> files(java.util.function.Predicate<Path> wanted) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> modules = Files.walk(ROOT, 3)) {
            for (Path target : modules.filter(p -> p.getFileName().toString().equals("target") && Files.isDirectory(p))
                    .filter(p -> !p.startsWith(ROOT.resolve("bench")))
                    .toList()) {
                try (Stream<Path> files = Files.walk(target)) {
                    files.filter(Files::isRegularFile).filter(wanted).forEach(found::add);
                }
            }
        }
        found.sort(null);
        return found;
    }
}
