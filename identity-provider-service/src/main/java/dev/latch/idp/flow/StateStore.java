package dev.latch.idp.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.error.ProblemException;
import dev.latch.idp.config.IdpConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Login state in Redis: written once with a TTL of at most 10 minutes, taken with GETDEL so a state
 * is used at most once. Redis being down is a 503, never a half-started login.
 */
@ApplicationScoped
public class StateStore {

    public static final String PREFIX = "latch:oauth:state:";
    private static final Duration MAX_TTL = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(StateStore.class);

    private final ValueCommands<String, String> values;
    private final ObjectMapper json;
    private final Duration ttl;

    public StateStore(RedisDataSource redis, ObjectMapper json, IdpConfig config) {
        this.values = redis.value(String.class);
        this.json = json;
        this.ttl = config.stateTtl().compareTo(MAX_TTL) > 0 ? MAX_TTL : config.stateTtl();
    }

    public Duration ttl() {
        return ttl;
    }

    public void put(String state, LoginState value) {
        String encoded;
        try {
            encoded = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            values.set(PREFIX + state, encoded, new SetArgs().px(ttl).nx());
        } catch (RuntimeException e) {
            LOG.warnf("OAuth state not stored, Redis failed: %s", e.getMessage());
            throw ProblemException.unavailable("Sign-in with a provider is unavailable right now. Try again shortly.");
        }
    }

    /** The state, removed atomically: a second take of the same state finds nothing. */
    public Optional<LoginState> take(String state) {
        String encoded;
        try {
            encoded = values.getdel(PREFIX + state);
        } catch (RuntimeException e) {
            LOG.warnf("OAuth state not read, Redis failed: %s", e.getMessage());
            throw ProblemException.unavailable("Sign-in with a provider is unavailable right now. Try again shortly.");
        }
        if (encoded == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(encoded, LoginState.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
