package dev.latch.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the service against a {@link PrivateRedis} of its own, which the test may stop and restart
 * ({@link #server()}). Its files live in {@code target/private-redis}; the server is stopped with the
 * resource (and at JVM exit at the latest). Use it restricted to the test class or profile.
 */
public class PrivateRedisResource implements QuarkusTestResourceLifecycleManager {

    private static volatile PrivateRedis server;

    @Override
    public Map<String, String> start() {
        PrivateRedis redis = PrivateRedis.start(Path.of("target", "private-redis"));
        server = redis;
        return Map.of("quarkus.redis.hosts", redis.url());
    }

    /** The running server, to stop and restart from the test. */
    public static PrivateRedis server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.kill();
            server = null;
        }
    }
}
