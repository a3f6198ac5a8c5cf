package dev.latch.common.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.http.Get;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Keys from auth-service's JWKS URL. jose4j caches the set for its {@code Cache-Control} lifetime
 * and refetches it when a token names a {@code kid} it does not know — at most once per
 * {@code latch.jwt.unknown-kid-refetch-interval} (30 s), single-flight: jose4j re-checks the interval
 * under its refresh lock, so concurrent unknown-kid tokens wait for one fetch instead of each making one.
 * <p>
 * While auth-service is down the cached keys stay in use (each failed refresh keeps them another
 * {@link #RETAIN_ON_ERROR_SECONDS}), so tokens already verifiable keep working. A fetch is bounded by
 * {@link #CONNECT_TIMEOUT_MS} and {@link #READ_TIMEOUT_MS} and not retried: jose4j's defaults (20 s each, three
 * retries) held a request with an unknown kid — and every request waiting on the refresh lock — for over a
 * minute when auth-service accepted connections but did not answer.
 */
@DefaultBean
@ApplicationScoped
public class JwksVerificationKeys implements VerificationKeys {

    static final int CONNECT_TIMEOUT_MS = 2000;
    static final int READ_TIMEOUT_MS = 3000;
    static final long RETAIN_ON_ERROR_SECONDS = 300;

    private final VerificationKeyResolver resolver;

    public JwksVerificationKeys(LatchJwtConfig config) {
        String url = config.jwksUrl().orElseThrow(() -> new IllegalStateException("latch.jwt.jwks-url is not set"));
        HttpsJwks jwks = new HttpsJwks(url);
        Get get = new Get();
        get.setConnectTimeout(CONNECT_TIMEOUT_MS);
        get.setReadTimeout(READ_TIMEOUT_MS);
        get.setRetries(0);
        jwks.setSimpleHttpGet(get);
        jwks.setDefaultCacheDuration(300);
        jwks.setRetainCacheOnErrorDuration(RETAIN_ON_ERROR_SECONDS);
        // milliseconds (jose4j's unit), unlike the two cache durations above, which are seconds
        jwks.setRefreshReprieveThreshold(config.unknownKidRefetchInterval().toMillis());
        HttpsJwksVerificationKeyResolver r = new HttpsJwksVerificationKeyResolver(jwks);
        r.setDisambiguateWithVerifySignature(true);
        this.resolver = r;
    }

    @Override
    public VerificationKeyResolver resolver() {
        return resolver;
    }
}
