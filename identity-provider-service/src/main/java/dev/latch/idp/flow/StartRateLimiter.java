package dev.latch.idp.flow;

import dev.latch.common.error.ProblemException;
import dev.latch.idp.config.IdpConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Counts {@code /start} calls per client address in Redis: each unauthenticated call stores a login
 * state, so without a bound one client could fill Redis. A fixed window per address, incremented and
 * given its expiry by one script, so no counter ever lives without a TTL. IPv6 clients are counted per
 * /64, the block one subscriber usually holds. Redis down is a 503 with {@code Retry-After} (the start is
 * refused, never let through uncounted), as for the state itself.
 */
@ApplicationScoped
public class StartRateLimiter {

    public static final String PREFIX = "latch:oauth:start-rate:";
    private static final Logger LOG = Logger.getLogger(StartRateLimiter.class);
    // INCR, then PEXPIRE whenever the key has no TTL (first call of a window); answers {count, ms left}
    private static final String SCRIPT = "local n = redis.call('INCR', KEYS[1]) "
            + "local ttl = redis.call('PTTL', KEYS[1]) "
            + "if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end "
            + "return {n, ttl}";

    private final RedisDataSource redis;
    private final IdpConfig.StartRateLimit config;

    public StartRateLimiter(RedisDataSource redis, IdpConfig config) {
        this.redis = redis;
        this.config = config.startRateLimit();
    }

    /** Counts one start for this client; 429 with {@code Retry-After} over the limit. */
    public void acquire(String clientIp) {
        if (!config.enabled()) {
            return;
        }
        long windowMs = Math.max(1, config.window().toMillis());
        Response answer;
        try {
            answer = redis.execute("EVAL", SCRIPT, "1", PREFIX + bucket(clientIp), Long.toString(windowMs));
        } catch (RuntimeException e) {
            // fail closed: an uncounted start would let one client fill Redis once it is back
            LOG.warnf("start refused, its rate limit cannot be checked (Redis failed: %s)", e.getMessage());
            throw ProblemException.unavailable("Sign-in with a provider is unavailable right now. Try again shortly.");
        }
        long count = answer.get(0).toLong();
        long leftMs = answer.get(1).toLong();
        if (count > config.maxStarts()) {
            long retryAfter = Math.max(1, (leftMs + 999) / 1000);
            throw new ProblemException(
                    429,
                    "Too Many Requests",
                    "Too many sign-ins started from this address. Try again in " + retryAfter + " s.",
                    "about:blank",
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }

    /** The counted unit: the IPv4 address, or the /64 of an IPv6 address. */
    static String bucket(String clientIp) {
        if (clientIp == null || clientIp.isEmpty()) {
            return "unknown";
        }
        if (!clientIp.contains(":")) {
            return clientIp;
        }
        String literal = clientIp.startsWith("[") && clientIp.endsWith("]")
                ? clientIp.substring(1, clientIp.length() - 1)
                : clientIp;
        // an unbracketed IPv6 X-Forwarded-For value loses its last group to port parsing ("a:b:c:d::1" → "a:b:c:d:"):
        // completed here, its /64 is still right
        if (literal.endsWith(":") && !literal.endsWith("::")) {
            literal += ":";
        }
        try {
            byte[] b = InetAddress.getByName(literal).getAddress();
            if (b.length != 16) {
                return clientIp;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(String.format("%02x%02x:", b[i], b[i + 1]));
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return clientIp;
        }
    }
}
