package dev.latch.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged auth-service ({@code auth-service/target/quarkus-app/quarkus-run.jar}) in the production profile,
 * configured as the chart configures it: a mounted signing-key directory, hashed client secrets in a mounted
 * {@code oauth-clients.properties}, a bootstrap ADMIN, its own PostgreSQL database (created here, dropped by
 * {@link #dropDatabase()}) and its own Redis database index (emptied here: the sign-in counters other tests leave
 * for 127.0.0.1 on database 0 stay out). Several replicas started from one instance share database, keys and
 * clients, as the pods of one Deployment do.
 */
public final class PackagedAuthService {

    /** The issuer every replica signs with (the chart's {@code tokenIssuer}). */
    public static final String ISSUER = "https://auth.latch.test";

    /** A client of auth-service: id, secret, space-separated scopes, and whether it may use client_credentials. */
    public record Client(String id, String secret, String scopes, boolean clientCredentials) {}

    private final Path jar;
    private final Path work;
    private final String database;
    private final int redisDatabase;
    private final String adminUsername = "admin";
    private final String adminPassword = random(18);
    private final Path clientsFile;

    private PackagedAuthService(Path jar, Path work, String database, int redisDatabase, Path clientsFile) {
        this.jar = jar;
        this.work = work;
        this.database = database;
        this.redisDatabase = redisDatabase;
        this.clientsFile = clientsFile;
    }

    /**
     * Creates the database (dropped first if left over), empties the Redis database, writes a signing key and the
     * clients file under {@code work}.
     *
     * @param jar auth-service's {@code quarkus-run.jar}
     */
    public static PackagedAuthService prepare(
            Path jar, Path work, String database, int redisDatabase, List<Client> clients)
            throws IOException, InterruptedException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath().normalize()
                    + " is missing: package auth-service first (the reactor builds it before this module)");
        }
        TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        TestDatabase.update("postgres", "CREATE DATABASE " + database);
        Process flush = new ProcessBuilder("redis-cli", "-n", String.valueOf(redisDatabase), "FLUSHDB")
                .redirectErrorStream(true)
                .start();
        if (flush.waitFor() != 0) {
            throw new IllegalStateException("redis-cli -n " + redisDatabase + " FLUSHDB failed: "
                    + new String(flush.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        Path keys = Files.createDirectories(work.resolve("keys"));
        Files.writeString(keys.resolve("signing.pem"), rsaPem());
        List<String> lines = new ArrayList<>();
        for (Client c : clients) {
            lines.add("latch.auth.clients." + c.id() + ".secret-hash=sha256:" + sha256Hex(c.secret()));
            lines.add("latch.auth.clients." + c.id() + ".scopes=" + c.scopes());
            if (c.clientCredentials()) {
                lines.add("latch.auth.clients." + c.id() + ".grant-types=client_credentials");
            }
        }
        Path clientsFile = work.resolve("oauth-clients.properties");
        Files.writeString(clientsFile, String.join("\n", lines) + "\n");
        return new PackagedAuthService(jar.toAbsolutePath(), work, database, redisDatabase, clientsFile);
    }

    public String adminUsername() {
        return adminUsername;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The environment of one replica listening on {@code port} (0: any free port). */
    public Map<String, String> env(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put(
                "QUARKUS_DATASOURCE_JDBC_URL",
                System.getenv().getOrDefault("LATCH_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/") + database);
        env.put("QUARKUS_DATASOURCE_USERNAME", System.getenv().getOrDefault("LATCH_TEST_PG_USER", "postgres"));
        env.put("QUARKUS_DATASOURCE_PASSWORD", System.getenv().getOrDefault("PGPASSWORD", ""));
        env.put("QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:6379/" + redisDatabase);
        env.put("LATCH_PUBLIC_BASE_URL", ISSUER);
        env.put("LATCH_AUTH_TOKEN_ISSUER", ISSUER);
        env.put(
                "LATCH_AUTH_KEYS_DIRECTORY",
                work.resolve("keys").toAbsolutePath().toString());
        env.put("QUARKUS_CONFIG_LOCATIONS", clientsFile.toAbsolutePath().toString());
        env.put("LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
        env.put("LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        return env;
    }

    /** Starts one replica; its output goes to {@code target/production-start-<name>.log}. */
    public ProductionStart.Running start(String name, int port) throws IOException, InterruptedException {
        return ProductionStart.start(jar, name, env(port), Duration.ofSeconds(120));
    }

    public void dropDatabase() {
        TestDatabase.update("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Lower-case hex of the SHA-256 of {@code value}, as a {@code secret-hash=sha256:…} wants it. */
    public static String sha256Hex(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new RSA-2048 private key as PKCS#8 PEM, as a mounted signing-key directory holds it. */
    public static String rsaPem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(
                                    generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
