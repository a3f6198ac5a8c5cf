package dev.latch.bench;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.user.PasswordHasher;
import dev.latch.common.security.PersonalAccessTokens;
import dev.latch.common.security.SecureTokens;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU behind one credential check in auth-service: a password against its Argon2id hash with the
 * default parameters ({@code latch.auth.password.*}: 19 MiB, 2 passes, 1 lane), against a personal
 * access token, whose 190 random bits need no slow hash: checksum, then SHA-256 as the lookup key
 * ({@code PatService.findLive}, without the database read).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CredentialBenchmark {

    private PasswordHasher hasher;
    private String phc;
    private String pat;

    @Setup
    public void setUp() {
        hasher = new PasswordHasher(
                ConfigDefaults.of(AuthConfig.class, Map.of()),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        phc = hasher.hash("correct horse battery staple");
        pat = PersonalAccessTokens.generate();
        if (!hasher.verify("correct horse battery staple", phc) || !PersonalAccessTokens.isWellFormed(pat)) {
            throw new IllegalStateException("the credentials under test do not verify");
        }
    }

    @Benchmark
    public boolean passwordArgon2id() {
        return hasher.verify("correct horse battery staple", phc);
    }

    @Benchmark
    public byte[] personalAccessToken() {
        return PersonalAccessTokens.isWellFormed(pat) ? SecureTokens.sha256(pat) : null;
    }
}
