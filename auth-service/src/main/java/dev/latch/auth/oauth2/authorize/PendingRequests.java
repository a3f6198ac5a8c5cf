package dev.latch.auth.oauth2.authorize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.auth.config.AuthConfig;
import dev.latch.common.security.SecureTokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Authorization requests between the authorization endpoint and the end of their login or consent page, and pushed
 * authorization requests (RFC 9126) until they are used: short-lived state in Redis under a random id (losing Redis
 * loses half-finished logins and nothing else).
 */
@ApplicationScoped
public class PendingRequests {

    /** The {@code request_uri} prefix of RFC 9126 §2.2. */
    public static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

    private static final String PENDING = "latch:authz:pending:";
    private static final String PUSHED = "latch:authz:par:";

    private final AuthConfig.Authorization config;
    private final ValueCommands<String, String> values;
    private final ObjectMapper mapper;

    public PendingRequests(AuthConfig config, RedisDataSource redis, ObjectMapper mapper) {
        this.config = config.authorization();
        this.values = redis.value(String.class);
        this.mapper = mapper;
    }

    /** Keeps a request for its login or consent page; the id goes into the page's form. */
    public String save(AuthorizationRequest request) {
        String id = SecureTokens.randomBase64Url(24);
        values.setex(PENDING + id, config.requestTtl().toSeconds(), json(request));
        return id;
    }

    /** Replaces a kept request (after a login), keeping its id. */
    public void update(String id, AuthorizationRequest request) {
        values.setex(PENDING + id, config.requestTtl().toSeconds(), json(request));
    }

    public Optional<AuthorizationRequest> find(String id) {
        if (!wellFormed(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(values.get(PENDING + id)).map(this::read);
    }

    /** Forgets a request once it is answered, so its page cannot answer it twice. False when it was already gone. */
    public boolean remove(String id) {
        return wellFormed(id) && values.getdel(PENDING + id) != null;
    }

    /** Keeps the parameters of a pushed request for {@code par-ttl}; the answer's {@code request_uri}. */
    public String push(String clientId, Map<String, String> parameters) {
        String id = SecureTokens.randomBase64Url(24);
        try {
            values.setex(
                    PUSHED + id,
                    config.parTtl().toSeconds(),
                    mapper.writeValueAsString(new Pushed(clientId, parameters)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return REQUEST_URI_PREFIX + id;
    }

    /** A pushed request's parameters, used once (RFC 9126 §4: a request_uri is single-use). */
    public Optional<Pushed> usePushed(String requestUri) {
        if (requestUri == null || !requestUri.startsWith(REQUEST_URI_PREFIX)) {
            return Optional.empty();
        }
        String id = requestUri.substring(REQUEST_URI_PREFIX.length());
        if (!wellFormed(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(values.getdel(PUSHED + id)).map(json -> {
            try {
                return mapper.readValue(json, Pushed.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable pushed request", e);
            }
        });
    }

    public Duration parTtl() {
        return config.parTtl();
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Pushed(String clientId, Map<String, String> parameters) {}

    private static boolean wellFormed(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{32}");
    }

    private String json(AuthorizationRequest request) {
        try {
            return mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private AuthorizationRequest read(String json) {
        try {
            return mapper.readValue(json, AuthorizationRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable pending authorization request", e);
        }
    }
}
