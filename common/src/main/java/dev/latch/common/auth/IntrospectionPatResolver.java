package dev.latch.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latch.common.security.SecureTokens;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;

/**
 * Resolves PATs through auth-service's {@code /oauth2/introspect} (RFC 7662), authenticated with
 * this service's client credentials. Answers, active or not, are cached for at most
 * {@code latch.jwt.introspection.cache-ttl} (≤ 30 s), keyed by the token's SHA-256, so a revoked PAT
 * stops working within that bound and auth-service sees one call per token per window. Active and
 * inactive answers live in two bounded Caffeine caches, so fake tokens can only push out fake tokens.
 * <p>
 * One call per PAT at a time: requests that miss the cache while that PAT's introspection is under way wait for its
 * answer instead of each asking again, so the burst of requests that follows an entry's expiry (every PAT a client
 * uses expires at about the same time when it started using them together) costs auth-service one call per PAT.
 * <p>
 * A pooled keep-alive connection can be closed by auth-service (or a proxy in between) just as a request is written
 * into it; the JDK client retries only GET and HEAD on such a connection, never a POST. Introspection only reads, so
 * a call that fails that way (an I/O error that is neither a timeout nor a refused connection) is sent once more, on
 * a new connection, before the PAT is refused.
 * <p>
 * auth-service unreachable, not answering within {@link #TIMEOUT} or answering an error: the PAT is refused
 * ({@link Unavailable}, a 401 like an unknown token — fail closed), never served from an expired entry, and the
 * failure is not cached, so the next request asks again.
 */
@DefaultBean
@ApplicationScoped
public class IntrospectionPatResolver implements PatResolver {

    private static final Logger LOG = Logger.getLogger(IntrospectionPatResolver.class);
    private static final Duration MAX_TTL = Duration.ofSeconds(30);
    /** Connect and answer deadline of one introspection call. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** auth-service could not tell whether the PAT is valid. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final LatchJwtConfig.Introspection config;
    private final ObjectMapper mapper;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final Cache<String, JwtClaims> active;
    private final Cache<String, Boolean> inactive;
    /**
     * The introspection under way per PAT (SHA-256), shared by every request that misses the cache meanwhile. Not a
     * Caffeine AsyncCache: that logs every failed load with its stack trace, once more than this class does.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Optional<JwtClaims>>> calls = new ConcurrentHashMap<>();

    public IntrospectionPatResolver(LatchJwtConfig config, ObjectMapper mapper) {
        this.config = config.introspection();
        this.mapper = mapper;
        Duration ttl = this.config.cacheTtl().compareTo(MAX_TTL) > 0 ? MAX_TTL : this.config.cacheTtl();
        this.active = Caffeine.newBuilder()
                .maximumSize(this.config.cacheSize())
                .expireAfterWrite(ttl)
                .build();
        this.inactive = Caffeine.newBuilder()
                .maximumSize(this.config.negativeCacheSize())
                .expireAfterWrite(ttl)
                .build();
    }

    @Override
    public Optional<JwtClaims> resolve(String pat) {
        String key = SecureTokens.sha256Hex(pat);
        JwtClaims known = active.getIfPresent(key);
        if (known != null) {
            return Optional.of(copy(known));
        }
        if (inactive.getIfPresent(key) != null) {
            return Optional.empty();
        }
        CompletableFuture<Optional<JwtClaims>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<JwtClaims>> call = calls.putIfAbsent(key, mine);
        if (call == null) {
            call = mine;
            CompletableFuture<Optional<JwtClaims>> sent;
            try {
                sent = introspect(pat);
            } catch (RuntimeException e) {
                calls.remove(key, mine);
                mine.completeExceptionally(e);
                throw e;
            }
            sent.whenComplete((claims, failure) -> {
                // cached before the call is forgotten: a request arriving in between finds one or the other
                if (failure == null) {
                    if (claims.isPresent()) {
                        active.put(key, claims.get());
                    } else {
                        inactive.put(key, Boolean.TRUE);
                    }
                }
                calls.remove(key, mine);
                if (failure == null) {
                    mine.complete(claims);
                } else {
                    mine.completeExceptionally(unwrap(failure));
                }
            });
        }
        return await(call).map(IntrospectionPatResolver::copy);
    }

    /** The shared answer, or Unavailable; never waits longer than one call plus its one retry may take. */
    private static Optional<JwtClaims> await(CompletableFuture<Optional<JwtClaims>> answer) {
        try {
            return answer.get(2 * TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Unavailable unavailable) {
                throw unavailable;
            }
            throw new Unavailable("PAT introspection failed", e.getCause());
        } catch (TimeoutException e) {
            throw new Unavailable("PAT introspection did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
    }

    /** Callers add claims (token type, groups): each gets its own copy of the cached answer. */
    private static JwtClaims copy(JwtClaims claims) {
        try {
            return JwtClaims.parse(claims.toJson());
        } catch (org.jose4j.jwt.consumer.InvalidJwtException e) {
            throw new IllegalStateException("cached claims unreadable", e);
        }
    }

    /** auth-service's answer: the claims, empty when inactive; fails with Unavailable. */
    private CompletableFuture<Optional<JwtClaims>> introspect(String pat) {
        String url =
                config.url().orElseThrow(() -> new IllegalStateException("latch.jwt.introspection.url is not set"));
        // RFC 6749 §2.3.1: id and secret are form-encoded before the Basic encoding (auth-service decodes them so)
        String credentials = URLEncoder.encode(config.clientId().orElse(""), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(config.clientSecret().orElse(""), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(pat, StandardCharsets.UTF_8)
                        + "&token_type_hint=personal_access_token"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .exceptionallyCompose(failure -> {
                    Throwable cause = unwrap(failure);
                    if (!droppedConnection(cause)) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    LOG.infof("PAT introspection at %s sent again on a new connection after: %s", url, cause);
                    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
                })
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = unwrap(failure);
                        LOG.warnf("PAT introspection at %s failed: %s", url, cause.toString());
                        throw new Unavailable("PAT introspection failed", cause);
                    }
                    if (response.statusCode() != 200) {
                        LOG.warnf("PAT introspection at %s answered %d", url, response.statusCode());
                        throw new Unavailable("introspection answered " + response.statusCode(), null);
                    }
                    return claims(url, response.body());
                });
    }

    /**
     * The connection died under the request (closed or reset before any answer): worth one more try. A timeout is
     * not (auth-service is slow, and asking twice doubles both the wait and its load), nor a refused connection (the
     * JDK client already retried it).
     */
    private static boolean droppedConnection(Throwable cause) {
        return cause instanceof IOException
                && !(cause instanceof HttpTimeoutException)
                && !(cause instanceof ConnectException);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Optional<JwtClaims> claims(String url, String json) {
        JsonNode body;
        try {
            body = mapper.readTree(json);
        } catch (IOException e) {
            LOG.warnf("PAT introspection at %s failed: %s", url, e.toString());
            throw new Unavailable("PAT introspection answer unreadable", e);
        }
        if (!body.path("active").asBoolean(false)) {
            return Optional.empty();
        }
        JwtClaims claims = new JwtClaims();
        for (var field : body.properties()) {
            JsonNode v = field.getValue();
            if (v.isTextual()) {
                claims.setClaim(field.getKey(), v.asText());
            } else if (v.isIntegralNumber()) {
                claims.setClaim(field.getKey(), v.asLong());
            } else if (v.isBoolean()) {
                claims.setClaim(field.getKey(), v.asBoolean());
            }
        }
        return Optional.of(claims);
    }
}
