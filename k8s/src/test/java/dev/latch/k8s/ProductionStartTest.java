package dev.latch.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
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
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Starts the three packaged services ({@code <service>/target/quarkus-app/quarkus-run.jar}) in the production
 * profile with exactly the environment the chart renders from examples/values-production.yaml: every
 * ConfigMap value as rendered, every Secret key replaced by a freshly generated value of its shape, every
 * mounted Secret written to a temporary directory at the path the environment names. Only what points
 * outside this machine is redirected: the databases (throwaway ones on 127.0.0.1:5432, created and dropped
 * here), Redis (127.0.0.1:6379), auth-service's in-cluster URL, the HTTP port; and {@code swaggerUi.enabled}
 * is false, to see that the chart's switch works. Each must reach {@code /q/health/started}: a variable the
 * chart forgot stops the start with the service's own message.
 *
 * <p>The reactor builds the services before this module; with {@code -pl k8s} alone and no packaged jars
 * the test is skipped.
 */
class ProductionStartTest {

    private static final Path EXAMPLE = Chart.EXAMPLES.resolve("values-production.yaml");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final String SUFFIX = Long.toHexString(System.nanoTime());
    private static final Map<String, String> DATABASES = Map.of(
            "auth-service", "latch_k8s_start_auth_" + SUFFIX,
            "identity-provider-service", "latch_k8s_start_idp_" + SUFFIX,
            "storage-service", "latch_k8s_start_storage_" + SUFFIX);

    private static Path work;
    private static final List<Process> PROCESSES = new ArrayList<>();
    /** Generated Secret values, by Secret name and key: the same key gets the same value in every pod. */
    private static final Map<String, String> SECRETS = new HashMap<>();
    /**
     * A Redis database of its own: the services' tests sign in from 127.0.0.1 thousands of times on
     * database 0, and the production per-IP sign-in limit would refuse the bootstrap ADMIN here.
     */
    private static final String REDIS = "redis://127.0.0.1:6379/3";

    @BeforeAll
    static void databases() throws Exception {
        for (String component : Chart.COMPONENTS) {
            Assumptions.assumeTrue(
                    Files.exists(jar(component)),
                    jar(component) + " is not packaged: run ./mvnw package -DskipTests -pl " + component
                            + " -am first (./mvnw verify builds it before this module)");
        }
        work = Files.createTempDirectory("latch-production-start-");
        assertEquals(
                0,
                new ProcessBuilder("redis-cli", "-n", "3", "FLUSHDB")
                        .inheritIO()
                        .start()
                        .waitFor(),
                "redis-cli FLUSHDB");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            for (String name : DATABASES.values()) {
                c.createStatement().execute("CREATE DATABASE " + name);
            }
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        for (Process p : PROCESSES) {
            p.destroy();
        }
        for (Process p : PROCESSES) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (work == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            for (String name : DATABASES.values()) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void everyServiceStartsInTheProductionProfileWithTheProductionExample() throws Exception {
        // Swagger UI off (the one value changed): its runtime switch must really switch it off
        Chart.Rendered r = Chart.render(List.of(EXAMPLE), Map.of("swaggerUi.enabled", "false"));
        Map<String, DeploymentEnv> envs = new LinkedHashMap<>();
        for (String component : Chart.COMPONENTS) {
            envs.put(component, DeploymentEnv.of(r, component));
        }
        // the clients file lists the broker's and the introspection client's secrets, hashed, as k8s/README shows
        Map<String, String> idp = resolve(envs.get("identity-provider-service"));
        Map<String, String> storage = resolve(envs.get("storage-service"));
        assertEquals(
                idp.get("LATCH_JWT_INTROSPECTION_CLIENT_SECRET"), storage.get("LATCH_JWT_INTROSPECTION_CLIENT_SECRET"));
        String clients = String.join(
                "\n",
                "latch.auth.clients.latch-idp.secret-hash=sha256:" + sha256(idp.get("LATCH_IDP_CLIENT_SECRET")),
                "latch.auth.clients.latch-idp.scopes=sessions:issue",
                "latch.auth.clients.latch-idp.grant-types=client_credentials",
                "latch.auth.clients." + idp.get("LATCH_JWT_INTROSPECTION_CLIENT_ID") + ".secret-hash=sha256:"
                        + sha256(idp.get("LATCH_JWT_INTROSPECTION_CLIENT_SECRET")),
                "latch.auth.clients." + idp.get("LATCH_JWT_INTROSPECTION_CLIENT_ID") + ".scopes=tokens:introspect",
                "");

        Map<String, String> auth = resolve(envs.get("auth-service"));
        mountSecretVolumes(envs.get("auth-service"), auth, Map.of("oauth-clients.properties", clients));
        int authPort = freePort();
        Started authService = start("auth-service", auth, authPort);

        idp.put("LATCH_AUTH_SERVICE_URL", "http://127.0.0.1:" + authPort);
        storage.put("LATCH_AUTH_SERVICE_URL", "http://127.0.0.1:" + authPort);
        mountSecretVolumes(envs.get("identity-provider-service"), idp, Map.of());
        mountSecretVolumes(envs.get("storage-service"), storage, Map.of());
        Started broker = start("identity-provider-service", idp, freePort());
        Started storageService = start("storage-service", storage, freePort());
        for (Started s : List.of(authService, broker, storageService)) {
            s.awaitStarted();
        }

        // beyond started: the mounted key signs, the hashed clients authenticate, the bootstrap ADMIN exists
        assertEquals(
                200, get(authService.url("/q/health/ready")).statusCode(), "auth-service ready (PostgreSQL, Redis)");
        JsonNode jwks = new ObjectMapper()
                .readTree(get(authService.url("/.well-known/jwks.json")).body());
        assertEquals(1, jwks.path("keys").size(), "the mounted signing key is published: " + jwks);
        HttpResponse<String> token = post(
                authService.url("/oauth2/token"),
                "application/x-www-form-urlencoded",
                "grant_type=client_credentials&scope=sessions:issue",
                "latch-idp",
                idp.get("LATCH_IDP_CLIENT_SECRET"));
        assertEquals(200, token.statusCode(), "the broker's client authenticates with its Secret: " + token.body());
        HttpResponse<String> signin = post(
                authService.url("/v1/auth/signin"),
                "application/json",
                new ObjectMapper()
                        .createObjectNode()
                        .put("username", auth.get("LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME"))
                        .put("password", auth.get("LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD"))
                        .toString(),
                null,
                null);
        assertEquals(200, signin.statusCode(), "the bootstrap ADMIN signs in: " + signin.body());
        assertEquals(
                "ADMIN",
                new ObjectMapper()
                        .readTree(signin.body())
                        .path("user")
                        .path("role")
                        .asText(),
                signin.body());
        assertEquals(200, get(broker.url("/q/health/ready")).statusCode(), "identity-provider-service ready");
        for (Started s : List.of(authService, broker, storageService)) {
            if (Files.readString(ServiceRequirements.REPO
                            .resolve(s.component())
                            .resolve("src/main/resources/application.properties"))
                    .contains("quarkus.swagger-ui.always-include=true")) {
                assertEquals(
                        404,
                        get(s.url("/q/swagger-ui/")).statusCode(),
                        s.component() + ": swaggerUi.enabled=false turns it off");
                assertEquals(
                        200, get(s.url("/q/openapi")).statusCode(), s.component() + ": the OpenAPI document stays");
            }
        }
    }

    // ---- the environment of one pod, on this machine

    /** Known values as rendered; Secret keys generated; what points outside this machine redirected. */
    private static Map<String, String> resolve(DeploymentEnv env) throws IOException {
        Map<String, String> result = new LinkedHashMap<>(env.values());
        env.secrets().forEach((variable, ref) -> {
            if (!Boolean.TRUE.equals(ref.getOptional())) {
                result.put(variable, secret(ref, variable));
            }
        });
        result.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + DATABASES.get(env.component()));
        if (result.containsKey("QUARKUS_REDIS_HOSTS")) {
            result.put("QUARKUS_REDIS_HOSTS", REDIS);
        }
        // emptyDir and claim mounts (data, uploads, /tmp): a fresh directory at the path the environment names
        for (VolumeMount mount : env.container().getVolumeMounts()) {
            Volume volume = ChartManifestsTest.volume(env.pod(), mount.getName());
            if (volume.getSecret() == null) {
                redirect(
                        result,
                        mount.getMountPath(),
                        Files.createDirectories(work.resolve(env.component()).resolve(mount.getName())));
            }
        }
        return result;
    }

    /** Writes each mounted Secret of the pod to a directory and points the environment at it. */
    private static void mountSecretVolumes(DeploymentEnv env, Map<String, String> result, Map<String, String> files)
            throws IOException {
        for (VolumeMount mount : env.container().getVolumeMounts()) {
            Volume volume = ChartManifestsTest.volume(env.pod(), mount.getName());
            if (volume.getSecret() == null) {
                continue;
            }
            Path dir = Files.createDirectories(work.resolve(env.component()).resolve(mount.getName()));
            if (volume.getSecret().getItems() != null
                    && !volume.getSecret().getItems().isEmpty()) {
                for (var item : volume.getSecret().getItems()) {
                    String content = files.get(item.getKey());
                    if (content == null) {
                        throw new AssertionError("no generator for file " + item.getKey() + " of Secret "
                                + volume.getSecret().getSecretName());
                    }
                    Files.writeString(dir.resolve(item.getPath()), content);
                }
            } else if (mount.getMountPath().equals(result.get("LATCH_AUTH_KEYS_DIRECTORY"))) {
                // the signing-key Secret: one PKCS#8 PEM file named after the active key, as k8s/README creates it
                String active = result.getOrDefault("LATCH_AUTH_KEYS_ACTIVE", "signing");
                Files.writeString(dir.resolve(active + ".pem"), rsaPem());
            } else {
                throw new AssertionError("no generator for the Secret volume at " + mount.getMountPath());
            }
            redirect(result, mount.getMountPath(), dir);
        }
    }

    private static void redirect(Map<String, String> env, String mountPath, Path local) {
        env.replaceAll((k, v) ->
                v.equals(mountPath) || v.startsWith(mountPath + "/") ? local + v.substring(mountPath.length()) : v);
    }

    /** A fresh value of the shape each Secret key holds. */
    private static String secret(SecretKeySelector ref, String variable) {
        return SECRETS.computeIfAbsent(ref.getName() + "/" + ref.getKey(), k -> switch (variable) {
            case "QUARKUS_DATASOURCE_USERNAME" -> "postgres";
            case "QUARKUS_REDIS_HOSTS" -> REDIS;
            case "LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME" -> "admin-" + SUFFIX;
            case "LATCH_AUTH_KEYS_ENCRYPTION_KEY",
                    "LATCH_IDP_SECRETS_ENCRYPTION_KEY",
                    "LATCH_STORAGE_ENCRYPTION_KEY",
                    "LATCH_STORAGE_URL_SIGNING_KEY" -> Base64.getEncoder().encodeToString(bytes(32));
            case "LATCH_STORAGE_S3_ACCESS_KEY_ID" ->
                "AKIA" + HexFormat.of().formatHex(bytes(8)).toUpperCase();
            default -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(24));
        });
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String sha256(String value) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static String rsaPem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- processes

    private static Path jar(String component) {
        return ServiceRequirements.REPO.resolve(component).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private record Started(String component, Process process, int port, Path log) {

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        void awaitStarted() throws Exception {
            Instant deadline = Instant.now().plus(START_TIMEOUT);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError(
                            component + " exited (" + process.exitValue() + ") in the production profile:\n" + tail());
                }
                try {
                    if (get(url("/q/health/started")).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new AssertionError(
                    component + " did not reach /q/health/started in " + START_TIMEOUT + ":\n" + tail());
        }

        String tail() throws IOException {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
    }

    /** The jar as the image's run-java.sh starts it (JAVA_OPTS_APPEND of Dockerfile.jvm), with exactly this environment. */
    private static Started start(String component, Map<String, String> env, int port) throws IOException {
        Path tmp = Files.createDirectories(work.resolve(component).resolve("java-tmp"));
        Path log = Files.createDirectories(Path.of("target")).resolve("production-start-" + component + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-Dvertx.cacheDirBase=" + tmp.resolve("vertx-cache"),
                        "-Djava.io.tmpdir=" + tmp,
                        "-jar",
                        jar(component).toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_PROFILE", "prod");
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process process = builder.start();
        PROCESSES.add(process);
        return new Started(component, process, port, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String type, String body, String user, String password)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
