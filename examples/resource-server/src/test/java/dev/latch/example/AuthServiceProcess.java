package dev.latch.example;

import dev.latch.common.testing.PostgresDatabaseResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the packaged auth-service ({@code auth-service/target/quarkus-app/quarkus-run.jar}, built earlier in
 * the reactor) as its own process in the production profile, configured like the chart does it: environment
 * variables, a mounted signing-key directory and an {@code oauth-clients.properties} file with hashed secrets.
 * It gets its own PostgreSQL database (dropped and created here) and its own Redis database index.
 * <p>
 * The example application keeps the README's configuration; only the host of
 * {@code quarkus.oidc.auth-server-url} is overridden (this resource's config override, a higher-ordinal
 * source than {@code application.properties}), and {@code LATCH_INTROSPECTION_CLIENT_SECRET}, which the
 * snippet reads, is supplied the same way.
 */
public class AuthServiceProcess implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "latch_auth_example_test";
    /** The snippet's issuer: auth-service is configured with it, as the chart's {@code tokenIssuer}. */
    public static final String ISSUER = "https://auth.example.com";

    public static final String INTROSPECTION_CLIENT = "latch-introspect";
    /** A client for client-credentials tokens, allowed the scope the example's scoped endpoint asks for. */
    public static final String REPORTS_CLIENT = "example-reports";

    public static final String REPORTS_SECRET = "example-reports-test-secret";

    static final Path WORK = Path.of("target", "latch-auth-service");
    static final Path KEYS = WORK.resolve("keys");
    static final Path LOG = WORK.resolve("auth-service.log");

    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            Path jar = Path.of(System.getProperty(
                    "latch.example.auth-service-jar", "../../auth-service/target/quarkus-app/quarkus-run.jar"));
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath().normalize()
                        + " is missing: package auth-service first (the reactor does it before this module)");
            }
            recreateDatabase();
            Files.createDirectories(KEYS);
            writeSigningKey(KEYS.resolve("example.pem"));
            // a secret with '+', '/' and '=' (openssl rand -base64 32): client_secret_post carries it intact
            String introspectionSecret = "a+b/c=" + Base64.getEncoder().encodeToString(randomBytes(32));
            Path clients = WORK.resolve("oauth-clients.properties");
            Files.writeString(
                    clients,
                    String.join(
                            "\n",
                            "latch.auth.clients." + INTROSPECTION_CLIENT + ".secret-hash=sha256:"
                                    + sha256Hex(introspectionSecret),
                            "latch.auth.clients." + INTROSPECTION_CLIENT + ".scopes=tokens:introspect",
                            "latch.auth.clients." + REPORTS_CLIENT + ".secret-hash=sha256:" + sha256Hex(REPORTS_SECRET),
                            "latch.auth.clients." + REPORTS_CLIENT + ".scopes=attachments:read",
                            "latch.auth.clients." + REPORTS_CLIENT + ".grant-types=client_credentials",
                            ""));

            int port = freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(
                            java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(LOG.toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_DATASOURCE_JDBC_URL", pgServer() + DATABASE);
            env.put("QUARKUS_DATASOURCE_USERNAME", pgUser());
            env.put("QUARKUS_DATASOURCE_PASSWORD", System.getenv().getOrDefault("PGPASSWORD", ""));
            // own Redis database: rate-limit counters of other test runs stay out
            env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379/9");
            env.put("LATCH_PUBLIC_BASE_URL", ISSUER);
            env.put("LATCH_AUTH_TOKEN_ISSUER", ISSUER);
            env.put("LATCH_AUTH_KEYS_DIRECTORY", KEYS.toAbsolutePath().toString());
            env.put("QUARKUS_CONFIG_LOCATIONS", clients.toAbsolutePath().toString());
            // an ADMIN exists, so the test's sign-ups are USERs
            env.put("LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME", "example-admin");
            env.put("LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD", random(24));
            process = builder.start();
            String url = "http://127.0.0.1:" + port;
            awaitReady(url);
            return Map.of(
                    "quarkus.oidc.auth-server-url", url,
                    "LATCH_INTROSPECTION_CLIENT_SECRET", introspectionSecret);
        } catch (IOException | SQLException | NoSuchAlgorithmException e) {
            stop();
            throw new IllegalStateException("auth-service did not start: " + e + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private void awaitReady(String url) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("auth-service exited with " + process.exitValue() + logTail());
            }
            try {
                HttpResponse<String> ready = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("auth-service was not ready within 120 s" + logTail());
    }

    private static void recreateDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        pgServer() + "postgres", pgUser(), System.getenv().getOrDefault("PGPASSWORD", ""));
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        PostgresDatabaseResource.createIfMissing(pgServer() + "postgres", pgUser(), DATABASE);
    }

    private static void writeSigningKey(Path file) throws IOException, NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
        Files.writeString(
                file,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pkcs8)
                        + "\n-----END PRIVATE KEY-----\n");
    }

    static String logTail() {
        try {
            List<String> lines = Files.readAllLines(LOG);
            return "\n--- " + LOG.toAbsolutePath() + " (last lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String pgServer() {
        String value = System.getenv("LATCH_TEST_PG_URL");
        return value == null || value.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/" : value;
    }

    private static String pgUser() {
        String value = System.getenv("LATCH_TEST_PG_USER");
        return value == null || value.isBlank() ? "postgres" : value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String sha256Hex(String value) throws NoSuchAlgorithmException {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String random(int n) {
        return HexFormat.of().formatHex(randomBytes(n));
    }
}
