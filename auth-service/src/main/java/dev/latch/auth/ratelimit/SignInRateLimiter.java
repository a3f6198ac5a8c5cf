package dev.latch.auth.ratelimit;

import dev.latch.auth.config.AuthConfig;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.redis.client.ResponseType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Attempt counters in Redis, each a fixed window that starts with the first attempt.
 *
 * <p>Sign-in: every attempt is reserved against the username's and the client IP's counter BEFORE the
 * password is hashed, in one Lua script, so N parallel guesses cannot slip past a limit of 5 and a
 * refused attempt costs no Argon2. A successful sign-in clears the username's counter and gives the
 * IP its attempt back. Client authentication at {@code /oauth2/*}: failures are counted per client id
 * and per IP, and a client over its limit is refused before its secret is checked. Refresh
 * ({@code /v1/auth/refresh} and the {@code refresh_token} grant): refresh tokens that are unknown,
 * expired, revoked or reused are counted per IP, and an address over its limit is refused before the
 * token is looked up.
 *
 * <p>Increment and expiry are one atomic step, and a counter found without a TTL (left by an older
 * version or a manual write) is treated as corrupt and restarted, so no key can lock anyone out
 * forever. When the counters cannot be read or reserved (Redis unreachable, or its connection pool
 * overrun by a burst) the sign-in and client checks fail closed: 503 with {@code Retry-After}, and no
 * password or secret is checked — an uncounted attempt would let a burst of guesses past the limit.
 * The refresh check fails open: a refresh token is 256 random bits, so its limit bounds load rather
 * than guessing, and refusing every refresh while Redis is down would end every session at once.
 */
@ApplicationScoped
public class SignInRateLimiter {

    private static final Logger LOG = Logger.getLogger(SignInRateLimiter.class);

    /** INCR each key; a key without TTL gets the window (a corrupt one with a count is restarted at 1). */
    private static final String RESERVE = """
            local out = {}
            for i, key in ipairs(KEYS) do
              local c = redis.call('INCR', key)
              local ttl = redis.call('PTTL', key)
              if ttl < 0 then
                if c > 1 then
                  redis.call('SET', key, 1, 'PX', ARGV[1])
                  c = 1
                else
                  redis.call('PEXPIRE', key, ARGV[1])
                end
                ttl = tonumber(ARGV[1])
              end
              out[#out + 1] = c
              out[#out + 1] = ttl
            end
            return out
            """;

    /** Counts and TTLs without changing anything; a counter without TTL reads as 0. */
    private static final String PEEK = """
            local out = {}
            for i, key in ipairs(KEYS) do
              local ttl = redis.call('PTTL', key)
              local c = tonumber(redis.call('GET', key) or '0')
              if ttl < 0 then c = 0 end
              out[#out + 1] = c
              out[#out + 1] = ttl
            end
            return out
            """;

    /** Clears the first key; gives the second its attempt back when it still exists (keeping its TTL). */
    private static final String RELEASE = """
            redis.call('DEL', KEYS[1])
            if redis.call('EXISTS', KEYS[2]) == 1 and tonumber(redis.call('GET', KEYS[2])) > 0 then
              redis.call('DECR', KEYS[2])
            end
            return {}
            """;

    private final AuthConfig.RateLimit config;
    private final RedisDataSource redis;

    public SignInRateLimiter(AuthConfig config, RedisDataSource redis) {
        this.config = config.rateLimit();
        this.redis = redis;
    }

    /** Reserves one sign-in attempt. @throws ProblemException 429 when the username or the IP is over its limit */
    public void reserveSignIn(String username, String ip) {
        List<Long> counts = runOrRefuse(RESERVE, userKey(username), ipKey(ip));
        refuseOver(counts, config.maxFailuresPerUsername(), config.maxFailuresPerIp(), "Too many sign-in attempts.");
    }

    /** After a successful sign-in: the username's counter starts again and the IP's attempt is returned. */
    public void signInSucceeded(String username, String ip) {
        run(RELEASE, userKey(username), ipKey(ip));
    }

    /** @throws ProblemException 429 when this client id or IP has failed to authenticate too often */
    public void checkClient(String clientId, String ip) {
        refuseOver(
                runOrRefuse(PEEK, clientKey(clientId), clientIpKey(ip)),
                config.maxClientFailures() - 1,
                config.maxFailuresPerIp() - 1,
                "Too many failed client authentications.");
    }

    public void clientFailed(String clientId, String ip) {
        run(RESERVE, clientKey(clientId), clientIpKey(ip));
    }

    /** @throws ProblemException 429 when this address presented too many bad refresh tokens in the window */
    public void checkRefresh(String ip) {
        List<Long> counts = run(PEEK, refreshIpKey(ip));
        if (!counts.isEmpty() && counts.get(0) >= config.maxRefreshFailuresPerIp()) {
            throw tooMany(counts.get(1), "Too many invalid refresh tokens from this address.");
        }
    }

    public void refreshFailed(String ip) {
        run(RESERVE, refreshIpKey(ip));
    }

    /**
     * RFC 8628 §5.1: a signed-in user who typed too many unknown device user codes in the window is refused before
     * the next one is looked up (the same limit as a username's sign-in failures); fails closed like sign-in.
     *
     * @throws ProblemException 429 over the limit, 503 when the counters cannot be read
     */
    public void checkUserCode(java.util.UUID userId) {
        List<Long> counts = runOrRefuse(PEEK, userCodeKey(userId));
        if (!counts.isEmpty() && counts.get(0) >= config.maxFailuresPerUsername()) {
            throw tooMany(counts.get(1), "Too many wrong codes.");
        }
    }

    public void userCodeFailed(java.util.UUID userId) {
        run(RESERVE, userCodeKey(userId));
    }

    private void refuseOver(List<Long> counts, long maxFirst, long maxSecond, String what) {
        if (counts.isEmpty()) {
            return;
        }
        long retryMs = 0;
        if (counts.get(0) > maxFirst) {
            retryMs = Math.max(retryMs, counts.get(1));
        }
        if (counts.get(2) > maxSecond) {
            retryMs = Math.max(retryMs, counts.get(3));
        }
        if (retryMs > 0) {
            throw tooMany(retryMs, what);
        }
    }

    private static ProblemException tooMany(long retryMs, String what) {
        long retry = Math.max(1, (retryMs + 999) / 1000);
        return new ProblemException(
                429,
                "Too Many Requests",
                what + " Try again in " + retry + " seconds.",
                "about:blank",
                Map.of("Retry-After", String.valueOf(retry)));
    }

    /** The script's numbers; @throws ProblemException 503 when Redis failed (the attempt cannot be counted) */
    private List<Long> runOrRefuse(String script, String... keys) {
        try {
            return execute(script, keys);
        } catch (RuntimeException e) {
            LOG.warnf("attempt refused, its counter cannot be updated (Redis failed: %s)", e.getMessage());
            throw new ProblemException(
                    503,
                    "Service Unavailable",
                    "Sign-in is briefly unavailable. Try again in a moment.",
                    "about:blank",
                    Map.of("Retry-After", "1"));
        }
    }

    /** The script's numbers, or none when Redis failed (logged): for bookkeeping after the decision. */
    private List<Long> run(String script, String... keys) {
        try {
            return execute(script, keys);
        } catch (RuntimeException e) {
            LOG.warnf("attempt counter not updated, Redis failed: %s", e.getMessage());
            return List.of();
        }
    }

    private List<Long> execute(String script, String... keys) {
        List<String> args = new java.util.ArrayList<>(keys.length + 3);
        args.add(script);
        args.add(String.valueOf(keys.length));
        args.addAll(List.of(keys));
        args.add(String.valueOf(config.window().toMillis()));
        var response = redis.execute("EVAL", args.toArray(String[]::new));
        if (response == null || response.type() != ResponseType.MULTI || response.size() == 0) {
            return List.of();
        }
        List<Long> numbers = new java.util.ArrayList<>(response.size());
        response.forEach(r -> numbers.add(r.toLong()));
        return numbers;
    }

    private static String userKey(String username) {
        // hashed: usernames are user input and may be anything
        return "latch:signin:fail:user:" + SecureTokens.sha256Hex(username.toLowerCase(Locale.ROOT));
    }

    private static String ipKey(String ip) {
        return "latch:signin:fail:ip:" + (ip == null ? "unknown" : ip);
    }

    private static String clientKey(String clientId) {
        return "latch:client:fail:id:" + SecureTokens.sha256Hex(clientId);
    }

    private static String refreshIpKey(String ip) {
        return "latch:refresh:fail:ip:" + (ip == null ? "unknown" : ip);
    }

    private static String userCodeKey(java.util.UUID userId) {
        return "latch:device:fail:user:" + userId;
    }

    private static String clientIpKey(String ip) {
        return "latch:client:fail:ip:" + (ip == null ? "unknown" : ip);
    }
}
