package dev.latch.bench;

import dev.latch.common.testing.MockOidcServerResource;
import dev.latch.common.testing.PackagedAuthService;
import dev.latch.common.testing.ProductionStart;
import dev.latch.common.testing.S3ProxyResource;
import dev.latch.common.testing.SecretLedger;
import dev.latch.common.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The three packaged services ({@code <service>/target/quarkus-app/quarkus-run.jar}) as separate processes in the
 * production profile, configured only by environment as the chart configures them: auth-service with a mounted key
 * directory and hashed clients ({@link PackagedAuthService}), the broker with its client secret and provider-secret
 * key, storage-service on S3 (S3Proxy, checking signatures) with PROXY delivery. Their own databases
 * ({@code latch_soak_*}) and Redis databases ({@link #AUTH_REDIS_DB}, {@link #IDP_REDIS_DB}). S3Proxy and the OIDC
 * provider (mock-oauth2-server) run in this JVM. Logs under {@code bench/target/production-start-soak-*.log}.
 *
 * <p>Two settings differ from a production start, both for the loopback OIDC provider only: the broker may call
 * {@code localhost}/{@code 127.0.0.1} ({@code LATCH_IDP_ALLOWED_PRIVATE_PROVIDER_HOSTS}, the documented exemption for
 * an in-cluster provider) over http ({@code LATCH_IDP_ALLOW_INSECURE_PROVIDER_URLS}, whose severe readiness finding is
 * overridden). Rate limits are the production defaults: the driver sends {@code X-Forwarded-For} as the ingress
 * does (127.0.0.1 is a trusted proxy by default), one client address per sign-in and per {@code /start}.
 */
final class SoakStack implements AutoCloseable {

    static final int AUTH_REDIS_DB = 10;
    static final int IDP_REDIS_DB = 11;
    static final String AUTH_DB = "latch_soak_auth";
    static final String IDP_DB = "latch_soak_idp";
    static final String STORAGE_DB = "latch_soak_storage";
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final String INTROSPECT_CLIENT = "soak-introspect";
    static final String SERVICE_CLIENT = "soak-service";
    static final String PROVIDER = "soak-oidc";

    final String introspectSecret = secret("introspection client secret");
    final String serviceSecret = secret("client_credentials client secret");
    private final String brokerSecret = secret("broker client secret");
    private final String storageIntrospectSecret = secret("storage introspection client secret");

    private final List<ProductionStart.Running> running = new ArrayList<>();
    private final S3ProxyResource s3 = new S3ProxyResource();
    private final MockOidcServerResource oidc = new MockOidcServerResource();
    private boolean s3Started;
    private boolean oidcStarted;
    private PackagedAuthService authPrepared;

    ProductionStart.Running auth;
    ProductionStart.Running broker;
    ProductionStart.Running storage;
    String oidcIssuer;

    static Path jar(String module) {
        return ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static boolean packaged() {
        return List.of("auth-service", "identity-provider-service", "storage-service").stream()
                .allMatch(m -> Files.exists(jar(m)));
    }

    void start() throws IOException, InterruptedException {
        Map<String, String> s3Config = s3.start();
        s3Started = true;
        oidcIssuer = oidc.start().get("latch.test.oidc.issuer");
        oidcStarted = true;
        SecretLedger.record("S3 secret key", S3ProxyResource.SECRET_KEY);

        authPrepared = PackagedAuthService.prepare(
                jar("auth-service"),
                Files.createDirectories(Path.of("target", "soak", "auth")),
                AUTH_DB,
                AUTH_REDIS_DB,
                List.of(
                        new PackagedAuthService.Client(INTROSPECT_CLIENT, introspectSecret, "tokens:introspect", false),
                        new PackagedAuthService.Client(SERVICE_CLIENT, serviceSecret, "tokens:introspect", true),
                        new PackagedAuthService.Client("latch-idp", brokerSecret, "sessions:issue", true),
                        new PackagedAuthService.Client(
                                "soak-storage", storageIntrospectSecret, "tokens:introspect", false)));
        SecretLedger.record("bootstrap admin password", authPrepared.adminPassword());
        for (String db : List.of(IDP_DB, STORAGE_DB)) {
            TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            TestDatabase.update("postgres", "CREATE DATABASE " + db);
        }
        flushRedis(IDP_REDIS_DB);

        // auth-service's port chosen here, so the three start at once
        int authPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            authPort = free.getLocalPort();
        }
        Map<String, String> authEnv = new LinkedHashMap<>(authPrepared.env(authPort));
        authEnv.put("QUARKUS_SHUTDOWN_DELAY", "0S");
        String authUrl = "http://127.0.0.1:" + authPort;

        Map<String, String> idp = common(IDP_DB, authUrl);
        idp.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379/" + IDP_REDIS_DB);
        idp.put("LATCH_PUBLIC_BASE_URL", "https://idp.latch.test");
        idp.put("LATCH_IDP_CLIENT_SECRET", brokerSecret);
        idp.put("LATCH_IDP_SECRETS_ENCRYPTION_KEY", base64(32, "provider secrets key"));
        idp.put("LATCH_JWT_INTROSPECTION_CLIENT_ID", "soak-storage");
        idp.put("LATCH_JWT_INTROSPECTION_CLIENT_SECRET", storageIntrospectSecret);
        idp.put("LATCH_IDP_ALLOWED_PRIVATE_PROVIDER_HOSTS", "localhost,127.0.0.1");
        idp.put("LATCH_IDP_ALLOW_INSECURE_PROVIDER_URLS", "true");
        idp.put("LATCH_PRODUCTION_READINESS_IGNORE_SEVERE", "insecure-provider-urls");

        Map<String, String> st = common(STORAGE_DB, authUrl);
        st.put("LATCH_PUBLIC_BASE_URL", "https://storage.latch.test");
        st.put("LATCH_STORAGE_URL_SIGNING_KEY", base64(32, "URL signing key"));
        st.put("LATCH_STORAGE_ENCRYPTION_KEY", base64(32, "storage encryption key"));
        st.put(
                "LATCH_STORAGE_DATA_DIR",
                Files.createDirectories(Path.of("target", "soak", "storage-data"))
                        .toAbsolutePath()
                        .toString());
        st.put("LATCH_STORAGE_DEFAULT_BACKEND", "S3");
        st.put("LATCH_STORAGE_DELIVERY", "PROXY");
        st.put("LATCH_STORAGE_S3_ENDPOINT", s3Config.get("latch.test.s3.endpoint"));
        st.put("LATCH_STORAGE_S3_REGION", s3Config.get("latch.test.s3.region"));
        st.put("LATCH_STORAGE_S3_BUCKET", s3Config.get("latch.test.s3.bucket"));
        st.put("LATCH_STORAGE_S3_PATH_STYLE", "true");
        st.put("LATCH_STORAGE_S3_ACCESS_KEY_ID", s3Config.get("latch.test.s3.access-key-id"));
        st.put("LATCH_STORAGE_S3_SECRET_ACCESS_KEY", s3Config.get("latch.test.s3.secret-access-key"));
        st.put("LATCH_JWT_INTROSPECTION_CLIENT_ID", "soak-storage");
        st.put("LATCH_JWT_INTROSPECTION_CLIENT_SECRET", storageIntrospectSecret);

        ExecutorService starting = Executors.newFixedThreadPool(3);
        try {
            Future<ProductionStart.Running> a = starting.submit(() -> start("auth-service", authEnv));
            Future<ProductionStart.Running> b = starting.submit(() -> start("identity-provider-service", idp));
            Future<ProductionStart.Running> s = starting.submit(() -> start("storage-service", st));
            // every start awaited, also after a failure, so close() stops each process that did start
            auth = started(a);
            broker = started(b);
            storage = started(s);
        } finally {
            starting.shutdown();
        }
        if (auth == null || broker == null || storage == null) {
            throw new IllegalStateException(
                    "a service did not start (see target/production-start-soak-*.log)", startFailure);
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        for (ProductionStart.Running r : running) {
            awaitReady(http, r.port());
        }
    }

    private Map<String, String> common(String database, String authUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", System.getenv().getOrDefault("PGPASSWORD", ""));
        env.put("LATCH_AUTH_SERVICE_URL", authUrl);
        env.put("LATCH_JWT_ISSUER", PackagedAuthService.ISSUER);
        env.put("QUARKUS_SHUTDOWN_DELAY", "0S");
        return env;
    }

    String adminUsername() {
        return authPrepared.adminUsername();
    }

    String adminPassword() {
        return authPrepared.adminPassword();
    }

    private Throwable startFailure;

    private ProductionStart.Running started(Future<ProductionStart.Running> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (startFailure == null) {
                startFailure = e.getCause();
            } else {
                startFailure.addSuppressed(e.getCause());
            }
            return null;
        }
    }

    private ProductionStart.Running start(String module, Map<String, String> env)
            throws IOException, InterruptedException {
        ProductionStart.Running r = ProductionStart.start(jar(module), "soak-" + module, env, Duration.ofSeconds(120));
        synchronized (running) {
            running.add(r);
        }
        return r;
    }

    private static void awaitReady(HttpClient http, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("port " + port + " not ready within 60 s");
    }

    private static void flushRedis(int db) throws IOException, InterruptedException {
        Process flush = new ProcessBuilder("redis-cli", "-n", String.valueOf(db), "FLUSHDB")
                .redirectErrorStream(true)
                .start();
        if (flush.waitFor() != 0) {
            throw new IllegalStateException("redis-cli -n " + db + " FLUSHDB failed: "
                    + new String(flush.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static String secret(String kind) {
        String s = PackagedAuthService.random(24);
        SecretLedger.record(kind, s);
        return s;
    }

    private static String base64(int bytes, String kind) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        String s = Base64.getEncoder().encodeToString(b);
        SecretLedger.record(kind, s);
        return s;
    }

    /** Every process stopped and every database dropped, whatever failed before. */
    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            ProductionStart.Running r = running.get(i);
            try {
                r.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.process().destroyForcibly();
            }
        }
        if (oidcStarted) {
            oidc.stop();
        }
        if (s3Started) {
            s3.stop();
        }
        for (String db : List.of(AUTH_DB, IDP_DB, STORAGE_DB)) {
            try {
                TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            } catch (RuntimeException e) {
                // best effort: the next run drops it first
            }
        }
    }
}
