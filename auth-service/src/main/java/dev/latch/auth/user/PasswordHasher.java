package dev.latch.auth.user;

import dev.latch.auth.config.AuthConfig;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}),
 * computed with BouncyCastle. A hash made with other parameters than the configured ones reports
 * {@link #needsRehash}, so sign-in can upgrade it.
 *
 * <p>Each hash holds {@code memory-kib} (19 MiB by default) for its duration, so hashing runs behind a
 * bounded pool of permits (default twice the CPU count): a burst of sign-ins queues for at most
 * {@code permit-timeout} and is then answered 503 with {@code Retry-After}, instead of exhausting the
 * heap. Gauges {@code latch_password_hashes_active} and {@code latch_password_hashes_active_max} show it.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final Semaphore permits;
    private final long permitTimeoutMs;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger activeMax = new AtomicInteger();
    /** Verified against when the username does not exist, so both cost the same time. */
    private final String dummyHash;

    public PasswordHasher(AuthConfig config, MeterRegistry registry) {
        this.memoryKib = config.password().memoryKib();
        this.iterations = config.password().iterations();
        this.parallelism = config.password().parallelism();
        int max = config.password()
                .maxConcurrent()
                .orElse(2 * Runtime.getRuntime().availableProcessors());
        this.permits = new Semaphore(Math.max(1, max), true);
        this.permitTimeoutMs = config.password().permitTimeout().toMillis();
        Gauge.builder("latch.password.hashes.active", active, AtomicInteger::get)
                .description("Password hashes being computed now")
                .register(registry);
        Gauge.builder("latch.password.hashes.active.max", activeMax, AtomicInteger::get)
                .description("Most password hashes computed at once since start")
                .register(registry);
        Gauge.builder("latch.password.hashes.permits", permits, p -> max).register(registry);
        this.dummyHash = hash(SecureTokens.randomBase64Url(24));
    }

    public String hash(String password) {
        byte[] salt = SecureTokens.randomBytes(SALT_BYTES);
        byte[] hash = bounded(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    public boolean verify(String password, String phc) {
        Parsed p = parse(phc);
        if (p == null) {
            return false;
        }
        byte[] actual = bounded(password, p.salt, p.memory, p.iterations, p.parallelism, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** Spends the same time as a real verification, for unknown usernames. */
    public void verifyDummy(String password) {
        verify(password, dummyHash);
    }

    public boolean needsRehash(String phc) {
        Parsed p = parse(phc);
        return p == null
                || p.memory != memoryKib
                || p.iterations != iterations
                || p.parallelism != parallelism
                || p.hash.length != HASH_BYTES;
    }

    private record Parsed(int memory, int iterations, int parallelism, byte[] salt, byte[] hash) {}

    private static Parsed parse(String phc) {
        if (phc == null) {
            return null;
        }
        String[] parts = phc.split("\\$");
        // "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return null;
        }
        try {
            int m = 0, t = 0, par = 0;
            for (String kv : parts[3].split(",")) {
                String[] pair = kv.split("=", 2);
                int v = Integer.parseInt(pair[1]);
                switch (pair[0]) {
                    case "m" -> m = v;
                    case "t" -> t = v;
                    case "p" -> par = v;
                    default -> {
                        return null;
                    }
                }
            }
            if (m < 8 || t < 1 || par < 1) {
                return null;
            }
            return new Parsed(m, t, par, B64D.decode(parts[4]), B64D.decode(parts[5]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@link #derive} behind a permit. @throws ProblemException 503 when no permit frees up in time */
    private byte[] bounded(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(permitTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ProblemException(
                    503,
                    "Service Unavailable",
                    "Too many sign-ins at once. Try again shortly.",
                    "about:blank",
                    Map.of("Retry-After", "1"));
        }
        try {
            activeMax.accumulateAndGet(active.incrementAndGet(), Math::max);
            return derive(password, salt, memory, iterations, parallelism, length);
        } finally {
            active.decrementAndGet();
            permits.release();
        }
    }

    static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
