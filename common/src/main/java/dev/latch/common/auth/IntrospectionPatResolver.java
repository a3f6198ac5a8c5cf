package dev.latch.common.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latch.common.security.SecureTokens;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;

/**
 * Resolves PATs through auth-service's {@code /oauth2/introspect} (RFC 7662), authenticated with
 * this service's client credentials. Answers, active or not, are cached for at most
 * {@code latch.jwt.introspection.cache-ttl} (≤ 30 s), keyed by the token's SHA-256, so a revoked PAT
 * stops working within that bound and auth-service sees one call per token per window. Active and
 * inactive answers live in two bounded Caffeine caches, so fake tokens can only push out fake tokens.
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
        Optional<JwtClaims> claims = introspect(pat);
        if (claims.isPresent()) {
            active.put(key, claims.get());
            return Optional.of(copy(claims.get()));
        }
        inactive.put(key, Boolean.TRUE);
        return claims;
    }

    /** Callers add claims (token type, groups): each gets its own copy of the cached answer. */
    private static JwtClaims copy(JwtClaims claims) {
        try {
            return JwtClaims.parse(claims.toJson());
        } catch (org.jose4j.jwt.consumer.InvalidJwtException e) {
            throw new IllegalStateException("cached claims unreadable", e);
        }
    }

    private Optional<JwtClaims> introspect(String pat) {
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
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warnf("PAT introspection at %s answered %d", url, response.statusCode());
                throw new Unavailable("introspection answered " + response.statusCode(), null);
            }
            JsonNode body = mapper.readTree(response.body());
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
        } catch (IOException e) {
            LOG.warnf("PAT introspection at %s failed: %s", url, e.toString());
            throw new Unavailable("PAT introspection failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", e);
        }
    }
}
