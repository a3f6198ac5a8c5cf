package dev.latch.auth.ratelimit;

import dev.latch.auth.config.AuthConfig;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Counts failed sign-ins per username and per client IP in Redis, each in a fixed window that starts
 * at the first failure. Past either threshold, sign-in answers 429 with {@code Retry-After} until the
 * window ends; a successful sign-in clears the username's counter. If Redis is unreachable, sign-in
 * stays available (the readiness probe reports Redis down) and the failure is logged.
 */
@ApplicationScoped
public class SignInRateLimiter {

    private static final Logger LOG = Logger.getLogger(SignInRateLimiter.class);

    private final AuthConfig.RateLimit config;
    private final ValueCommands<String, Long> values;
    private final KeyCommands<String> keys;

    public SignInRateLimiter(AuthConfig config, RedisDataSource redis) {
        this.config = config.rateLimit();
        this.values = redis.value(Long.class);
        this.keys = redis.key();
    }

    /** @throws ProblemException 429 when either counter is over its limit */
    public void check(String username, String ip) {
        try {
            long retry = Math.max(blockedFor(userKey(username), config.maxFailuresPerUsername()),
                    blockedFor(ipKey(ip), config.maxFailuresPerIp()));
            if (retry > 0) {
                throw new ProblemException(429, "Too Many Requests",
                        "Too many failed sign-ins. Try again in " + retry + " seconds.", "about:blank",
                        Map.of("Retry-After", String.valueOf(retry)));
            }
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("sign-in rate limit not checked, Redis failed: %s", e.getMessage());
        }
    }

    public void recordFailure(String username, String ip) {
        try {
            increment(userKey(username));
            increment(ipKey(ip));
        } catch (RuntimeException e) {
            LOG.warnf("failed sign-in not counted, Redis failed: %s", e.getMessage());
        }
    }

    public void recordSuccess(String username) {
        try {
            keys.del(userKey(username));
        } catch (RuntimeException e) {
            LOG.warnf("sign-in counter not reset, Redis failed: %s", e.getMessage());
        }
    }

    private long blockedFor(String key, int max) {
        Long count = values.get(key);
        if (count == null || count < max) {
            return 0;
        }
        long ttl = keys.ttl(key);
        return ttl > 0 ? ttl : config.window().toSeconds();
    }

    private void increment(String key) {
        // the window starts with the first failure and is set atomically with the key
        values.set(key, 0L, new SetArgs().nx().ex(config.window()));
        values.incr(key);
    }

    private static String userKey(String username) {
        // hashed: usernames are user input and may be anything
        return "latch:signin:fail:user:" + SecureTokens.sha256Hex(username.toLowerCase(Locale.ROOT));
    }

    private static String ipKey(String ip) {
        return "latch:signin:fail:ip:" + (ip == null ? "unknown" : ip);
    }
}
