package dev.latch.e2e.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keycloak from Maven Central ({@code org.keycloak:keycloak-quarkus-dist}, unpacked by the build under
 * {@code e2e/target/}), started with {@code kc.sh start-dev} on a free port as a separate process, its dev database
 * wiped first. The realm, its users and the confidential client Latch logs in with are created through Keycloak's
 * admin REST API, as an operator would. Output in {@code e2e/target/logs/keycloak/keycloak.log}.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "latch-e2e";
    public static final String CLIENT_ID = "latch";

    private final Path home;
    private final int port = Stack.freePort();
    private final int managementPort = Stack.freePort();
    private final String adminPassword = Stack.secret("Keycloak admin password", 15);
    private final Path log;
    private Process process;

    private KeycloakServer(Path home, Path log) {
        this.home = home;
        this.log = log;
    }

    /** Whether the suite runs the Keycloak scenarios ({@code -De2e.keycloak=false} skips them). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("e2e.keycloak", "true"));
    }

    public static KeycloakServer start() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty(
                "e2e.keycloak.home", Stack.ROOT.resolve("e2e/target/keycloak").toString()));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException(
                    home + "/bin/kc.sh is missing: the build unpacks keycloak-quarkus-dist there"
                            + " (./mvnw verify -pl e2e)");
        }
        Path data = home.resolve("data");
        if (Files.exists(data)) {
            try (Stream<Path> walk = Files.walk(data)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Path log = Stack.ROOT.resolve("e2e/target/logs/keycloak/keycloak.log");
        Files.createDirectories(log.getParent());
        KeycloakServer kc = new KeycloakServer(home, log);
        kc.launch();
        return kc;
    }

    private void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        home.resolve("bin/kc.sh").toString(),
                        "start-dev",
                        "--http-host=127.0.0.1",
                        "--http-port=" + port,
                        "--http-management-port=" + managementPort,
                        "--hostname-strict=false")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String issuer() {
        return url() + "/realms/" + REALM;
    }

    public Path log() {
        return log;
    }

    /** Until the master realm answers; fails with the log's end when Keycloak exits first. */
    public void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited; see " + log + ":\n" + tail());
            }
            try {
                if (Http.get(url(), "/realms/master", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            process.waitFor(500, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("Keycloak was not ready within 180 s; see " + log + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private String adminToken() {
        Http.Answer a = Http.postForm(
                url(),
                "/realms/master/protocol/openid-connect/token",
                Http.map(
                        "grant_type",
                        "password",
                        "client_id",
                        "admin-cli",
                        "username",
                        "admin",
                        "password",
                        adminPassword),
                null,
                null);
        assertEquals(200, a.status(), () -> "Keycloak admin token: " + a);
        return a.json().path("access_token").asText();
    }

    private Http.Answer admin(String method, String path, Object body) {
        HttpRequest.Builder r = Http.request(url(), "/admin/realms" + path)
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(Http.json(body)));
        return Http.send(r);
    }

    /** The realm, and a confidential client that requires consent, redirecting only to {@code redirectUri}. */
    public void createRealmAndClient(String redirectUri, String clientSecret) {
        Http.Answer realm = admin("POST", "", Map.of("realm", REALM, "enabled", true));
        assertEquals(201, realm.status(), () -> "realm: " + realm);
        Http.Answer client = admin(
                "POST",
                "/" + REALM + "/clients",
                Map.of(
                        "clientId",
                        CLIENT_ID,
                        "protocol",
                        "openid-connect",
                        "publicClient",
                        false,
                        "secret",
                        clientSecret,
                        "redirectUris",
                        List.of(redirectUri),
                        "standardFlowEnabled",
                        true,
                        "directAccessGrantsEnabled",
                        false,
                        "consentRequired",
                        true));
        assertEquals(201, client.status(), () -> "client: " + client);
    }

    /** A user of the realm with a verified email and a password. */
    public void createUser(String username, String password, String email) {
        Http.Answer user = admin(
                "POST",
                "/" + REALM + "/users",
                Map.of(
                        "username",
                        username,
                        "enabled",
                        true,
                        "email",
                        email,
                        "emailVerified",
                        true,
                        "firstName",
                        "E2e",
                        "lastName",
                        username,
                        "credentials",
                        List.of(Map.of("type", "password", "value", password, "temporary", false))));
        assertEquals(201, user.status(), () -> "user " + username + ": " + user);
    }

    public JsonNode realmUsers() {
        return admin("GET", "/" + REALM + "/users", null).json();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            // kc.sh runs java as its child: end the whole tree
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
