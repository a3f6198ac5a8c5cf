package dev.latch.e2e.harness;

import dev.latch.common.testing.MockOidcServerResource;
import dev.latch.common.testing.PackagedAuthService;
import dev.latch.common.testing.S3ProxyResource;
import dev.latch.common.testing.SecretLedger;
import dev.latch.common.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Latch as a platform team runs it, on this machine: the three packaged services as separate OS processes in the
 * production profile, TWO replicas of each, configured only through environment variables and files mounted as the
 * chart mounts them (signing keys, OAuth clients), behind HAProxy ({@link HaProxy}: one internal frontend per
 * service, one public frontend routing like the Ingress). Around them: the machine's PostgreSQL (databases
 * {@code latch_e2e_<name>_*}, created here and dropped by {@link #close()}) and Redis (a database of its own per
 * service, emptied here), S3Proxy checking AWS signatures as the S3 store, and mock-oauth2-server as a quick OpenID
 * provider. Every log is under {@code e2e/target/logs/<name>/}.
 *
 * <p>Two settings differ from a production start, both because everything here is on loopback over http: the
 * broker may call providers on {@code localhost}/{@code 127.0.0.1} ({@code LATCH_IDP_ALLOWED_PRIVATE_PROVIDER_HOSTS},
 * the documented exemption for an in-cluster provider) over http ({@code LATCH_IDP_ALLOW_INSECURE_PROVIDER_URLS},
 * whose severe readiness finding is overridden by id). Every other production-readiness check runs.
 */
public final class Stack implements AutoCloseable {

    public static final String AUTH = "auth-service";
    public static final String BROKER = "identity-provider-service";
    public static final String STORAGE = "storage-service";

    /** How auth-service gets its signing keys: a mounted directory (the chart's Secret), or generated and stored. */
    public enum Keys {
        MOUNTED,
        GENERATED
    }

    /**
     * @param name names the databases, the Redis databases' owner and the log directory
     * @param keys where signing keys come from
     * @param publishLead {@code latch.auth.keys.publish-lead} (generated keys)
     * @param keyReload {@code latch.auth.keys.reload-interval}, and the verifiers' unknown-kid refetch interval
     * @param firstRedisDb auth-service's Redis database; the broker takes the next one
     * @param broker whether identity-provider-service runs, with the OIDC provider and S3Proxy (storage-service on S3);
     *     without, storage-service keeps files on local disk
     */
    public record Options(
            String name, Keys keys, Duration publishLead, Duration keyReload, int firstRedisDb, boolean broker) {

        public static Options shared() {
            return new Options("shared", Keys.MOUNTED, Duration.ofMinutes(10), Duration.ofSeconds(30), 12, true);
        }
    }

    /** An OAuth client of auth-service (its secret is mounted hashed, as the chart mounts oauth-clients.properties). */
    public record Client(String id, String secret, String scopes, boolean clientCredentials) {}

    public static final Path ROOT =
            Path.of(System.getProperty("e2e.root", "..")).toAbsolutePath().normalize();

    private final Options options;
    private final Path work;
    private final Path logs;
    private final Map<String, List<Replica>> replicas = new LinkedHashMap<>();
    private final Map<String, Integer> servicePorts = new LinkedHashMap<>();
    private final int publicPort;
    private HaProxy haProxy;
    private final S3ProxyResource s3 = new S3ProxyResource();
    private final MockOidcServerResource oidc = new MockOidcServerResource();
    private boolean s3Started;
    private boolean oidcStarted;
    private Map<String, String> s3Config = Map.of();
    private String oidcIssuer;

    /** Whether {@link Latch#federatedLoginThroughMockProvider} registered its provider at the broker. */
    volatile boolean mockProviderRegistered;

    private final String adminUsername = "admin";
    private final String adminPassword = secret("bootstrap admin password", 18);
    private final Client brokerClient =
            new Client("latch-idp", secret("broker client secret", 24), "sessions:issue", true);
    private final Client introspector =
            new Client("latch-introspect", secret("introspection client secret", 24), "tokens:introspect", false);
    private final Client thirdParty =
            new Client("e2e-third-party", secret("third-party client secret", 24), "tokens:introspect", true);

    private Stack(Options options) throws IOException {
        this.options = options;
        this.work = Files.createDirectories(ROOT.resolve("e2e/target/stack").resolve(options.name()));
        this.logs = Files.createDirectories(ROOT.resolve("e2e/target/logs").resolve(options.name()));
        this.publicPort = freePort();
    }

    /** Plans, starts and waits for everything; on any failure, stops what did start and rethrows. */
    public static Stack start(Options options) throws Exception {
        Stack stack = new Stack(options);
        try {
            stack.startAll();
            return stack;
        } catch (Exception | Error e) {
            try {
                stack.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public Options options() {
        return options;
    }

    /** The public entry (the Ingress): one origin for the three services. */
    public URI publicUrl() {
        return URI.create("http://127.0.0.1:" + publicPort);
    }

    /** A service's internal address (its Kubernetes Service): the balancer in front of its replicas. */
    public URI serviceUrl(String service) {
        return URI.create("http://127.0.0.1:" + servicePorts.get(service));
    }

    public List<Replica> replicas(String service) {
        return replicas.get(service);
    }

    public HaProxy haProxy() {
        return haProxy;
    }

    /** The issuer of every token: the public URL, as the chart's {@code tokenIssuer} defaults to {@code publicBaseUrl}. */
    public String issuer() {
        return publicUrl().toString();
    }

    public String adminUsername() {
        return adminUsername;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** A client that knows nothing of Latch: client_credentials and introspection. */
    public Client thirdPartyClient() {
        return thirdParty;
    }

    public String oidcIssuer() {
        return oidcIssuer;
    }

    /** S3Proxy's endpoint, region, bucket and credentials (keys as {@link S3ProxyResource#start()} names them). */
    public Map<String, String> s3() {
        return s3Config;
    }

    public Path logs() {
        return logs;
    }

    /** The mounted signing key (PKCS#8 PEM) when {@link Keys#MOUNTED}: tests sign expired tokens with it. */
    public Path signingKey() {
        return work.resolve("signing-keys/signing.pem");
    }

    /** The introspection client's secret (the example resource server introspects PATs with it). */
    public Client introspectionClient() {
        return introspector;
    }

    public String database(String service) {
        return "latch_e2e_" + options.name() + "_"
                + switch (service) {
                    case AUTH -> "auth";
                    case BROKER -> "idp";
                    case STORAGE -> "storage";
                    default -> throw new IllegalArgumentException(service);
                };
    }

    private List<String> services() {
        return options.broker() ? List.of(AUTH, BROKER, STORAGE) : List.of(AUTH, STORAGE);
    }

    private void startAll() throws Exception {
        if (options.broker()) {
            s3Config = s3.start();
            s3Started = true;
            SecretLedger.record("S3 secret key", S3ProxyResource.SECRET_KEY);
            oidcIssuer = oidc.start().get("latch.test.oidc.issuer");
            oidcStarted = true;
        }
        for (String service : services()) {
            String db = database(service);
            TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            TestDatabase.update("postgres", "CREATE DATABASE " + db);
        }
        flushRedis(options.firstRedisDb());
        flushRedis(options.firstRedisDb() + 1);
        for (String service : services()) {
            servicePorts.put(service, freePort());
        }
        Map<String, Map<String, String>> env = new LinkedHashMap<>();
        env.put(AUTH, authEnv());
        if (options.broker()) {
            env.put(BROKER, brokerEnv());
        }
        env.put(STORAGE, storageEnv());
        String[] prefixes = {"auth", "idp", "storage"};
        for (String service : services()) {
            String prefix = prefixes[List.of(AUTH, BROKER, STORAGE).indexOf(service)];
            List<Replica> list = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                String name = prefix + "-" + i;
                list.add(new Replica(
                        name,
                        jar(service),
                        freePort(),
                        env.get(service),
                        logs.resolve(name + ".log"),
                        // the chart's heap cap (-Xmx256m in the images)
                        List.of("-Xmx256m")));
            }
            replicas.put(service, list);
        }
        haProxy = new HaProxy(logs, publicPort, servicePorts, replicas);
        haProxy.start();
        // every replica at once, as a fresh install rolls out: each service migrates its own database, and the
        // broker and storage-service reach auth-service (through its balancer) only when a request needs it
        List<Replica> all = new ArrayList<>();
        replicas.values().forEach(all::addAll);
        for (Replica r : all) {
            r.start();
        }
        ExecutorService waiting = Executors.newFixedThreadPool(all.size());
        try {
            List<Future<?>> ready = new ArrayList<>();
            for (Replica r : all) {
                ready.add(waiting.submit(() -> {
                    r.awaitReady();
                    return null;
                }));
            }
            Exception failure = null;
            for (Future<?> f : ready) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = new IllegalStateException(e.getCause().getMessage(), e.getCause());
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            waiting.shutdownNow();
        }
        awaitBalancerSeesAll();
    }

    /** Until HAProxy's health checks have put every replica in rotation. */
    public void awaitBalancerSeesAll() {
        org.awaitility.Awaitility.await("every replica UP at HAProxy (" + logs.resolve("haproxy.log") + ")")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> haProxy.serverStates().values().stream().allMatch("UP"::equals));
    }

    private Map<String, String> common(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/" + database(service));
        env.put("QUARKUS_DATASOURCE_USERNAME", System.getenv().getOrDefault("LATCH_TEST_PG_USER", "postgres"));
        env.put("QUARKUS_DATASOURCE_PASSWORD", System.getenv().getOrDefault("PGPASSWORD", ""));
        env.put("LATCH_PUBLIC_BASE_URL", publicUrl().toString());
        // SIGTERM at the end of the suite stops at once (a real rollout keeps the chart's 5 s)
        env.put("QUARKUS_SHUTDOWN_DELAY", "0S");
        if (!service.equals(AUTH)) {
            env.put("LATCH_AUTH_SERVICE_URL", serviceUrl(AUTH).toString());
            env.put("LATCH_JWT_ISSUER", issuer());
            env.put("LATCH_JWT_INTROSPECTION_CLIENT_ID", introspector.id());
            env.put("LATCH_JWT_INTROSPECTION_CLIENT_SECRET", introspector.secret());
            env.put("LATCH_JWT_UNKNOWN_KID_REFETCH_INTERVAL", seconds(options.keyReload()));
        }
        return env;
    }

    private Map<String, String> authEnv() throws IOException {
        Map<String, String> env = common(AUTH);
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379/" + options.firstRedisDb());
        env.put("LATCH_AUTH_TOKEN_ISSUER", issuer());
        env.put("LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
        env.put("LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("LATCH_AUTH_KEYS_RELOAD_INTERVAL", seconds(options.keyReload()));
        if (options.broker()) {
            // the login page's identity-provider buttons: the broker behind the same public entry, as with the Ingress
            env.put("LATCH_AUTH_AUTHORIZATION_BROKER_URL", publicUrl().toString());
        }
        if (options.keys() == Keys.MOUNTED) {
            Path keys = Files.createDirectories(work.resolve("signing-keys"));
            Files.writeString(keys.resolve("signing.pem"), PackagedAuthService.rsaPem());
            env.put("LATCH_AUTH_KEYS_DIRECTORY", keys.toString());
        } else {
            env.put("LATCH_AUTH_KEYS_ENCRYPTION_KEY", base64Key("signing-key encryption key"));
            env.put("LATCH_AUTH_KEYS_PUBLISH_LEAD", seconds(options.publishLead()));
        }
        List<String> lines = new ArrayList<>();
        for (Client c : List.of(brokerClient, introspector, thirdParty)) {
            lines.add("latch.auth.clients." + c.id() + ".secret-hash=sha256:"
                    + PackagedAuthService.sha256Hex(c.secret()));
            lines.add("latch.auth.clients." + c.id() + ".scopes=" + c.scopes());
            if (c.clientCredentials()) {
                lines.add("latch.auth.clients." + c.id() + ".grant-types=client_credentials");
            }
        }
        Path clients = work.resolve("oauth-clients.properties");
        Files.writeString(clients, String.join("\n", lines) + "\n");
        env.put("QUARKUS_CONFIG_LOCATIONS", clients.toString());
        return env;
    }

    private Map<String, String> brokerEnv() {
        Map<String, String> env = common(BROKER);
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379/" + (options.firstRedisDb() + 1));
        env.put("LATCH_IDP_CLIENT_SECRET", brokerClient.secret());
        env.put("LATCH_IDP_SECRETS_ENCRYPTION_KEY", base64Key("provider secrets key"));
        env.put("LATCH_IDP_ALLOWED_PRIVATE_PROVIDER_HOSTS", "localhost,127.0.0.1");
        env.put("LATCH_IDP_ALLOW_INSECURE_PROVIDER_URLS", "true");
        env.put("LATCH_PRODUCTION_READINESS_IGNORE_SEVERE", "insecure-provider-urls");
        return env;
    }

    private Map<String, String> storageEnv() throws IOException {
        Map<String, String> env = common(STORAGE);
        env.put("LATCH_STORAGE_URL_SIGNING_KEY", base64Key("URL signing key"));
        env.put("LATCH_STORAGE_ENCRYPTION_KEY", base64Key("storage encryption key"));
        env.put(
                "LATCH_STORAGE_DATA_DIR",
                Files.createDirectories(work.resolve("storage-data")).toString());
        env.put(
                "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY",
                Files.createDirectories(work.resolve("storage-uploads")).toString());
        if (!options.broker()) {
            // the small stack (no broker) keeps files on local disk: S3Proxy and the OIDC provider are the full stack's
            env.put("LATCH_STORAGE_DEFAULT_BACKEND", "LOCAL");
            return env;
        }
        env.put("LATCH_STORAGE_DEFAULT_BACKEND", "S3");
        env.put("LATCH_STORAGE_DELIVERY", "PRESIGNED");
        env.put("LATCH_STORAGE_S3_ENDPOINT", s3Config.get("latch.test.s3.endpoint"));
        env.put("LATCH_STORAGE_S3_REGION", s3Config.get("latch.test.s3.region"));
        env.put("LATCH_STORAGE_S3_BUCKET", s3Config.get("latch.test.s3.bucket"));
        env.put("LATCH_STORAGE_S3_PATH_STYLE", "true");
        env.put("LATCH_STORAGE_S3_ACCESS_KEY_ID", s3Config.get("latch.test.s3.access-key-id"));
        env.put("LATCH_STORAGE_S3_SECRET_ACCESS_KEY", s3Config.get("latch.test.s3.secret-access-key"));
        return env;
    }

    private static Path jar(String service) {
        return ROOT.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Every process stopped (replicas first, then the balancer), every database dropped, whatever failed before. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (List<Replica> list : replicas.values()) {
            for (Replica r : list) {
                try {
                    r.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (haProxy != null) {
            try {
                haProxy.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (oidcStarted) {
            oidc.stop();
        }
        if (s3Started) {
            s3.stop();
        }
        for (String service : services()) {
            try {
                TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + database(service) + " WITH (FORCE)");
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "the e2e stack '" + options.name() + "' (logs in " + ROOT.relativize(logs) + "/)";
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flushRedis(int db) throws IOException, InterruptedException {
        Process flush = new ProcessBuilder("redis-cli", "-n", String.valueOf(db), "FLUSHDB")
                .redirectErrorStream(true)
                .start();
        String out = new String(flush.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (flush.waitFor() != 0 || !out.contains("OK")) {
            throw new IllegalStateException("redis-cli -n " + db + " FLUSHDB failed: " + out);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() + "ms";
    }

    public static String secret(String kind, int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        String s = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        SecretLedger.record(kind, s);
        return s;
    }

    private static String base64Key(String kind) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String s = Base64.getEncoder().encodeToString(b);
        SecretLedger.record(kind, s);
        return s;
    }
}
