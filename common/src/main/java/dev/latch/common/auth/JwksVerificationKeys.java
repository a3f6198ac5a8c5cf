package dev.latch.common.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Keys from auth-service's JWKS URL. jose4j caches the set for its {@code Cache-Control} lifetime
 * and refetches it when a token names a {@code kid} it does not know — at most once per
 * {@code latch.jwt.unknown-kid-refetch-interval} (30 s), single-flight: jose4j re-checks the interval
 * under its refresh lock, so concurrent unknown-kid tokens wait for one fetch instead of each making one.
 */
@DefaultBean
@ApplicationScoped
public class JwksVerificationKeys implements VerificationKeys {

    private final VerificationKeyResolver resolver;

    public JwksVerificationKeys(LatchJwtConfig config) {
        String url = config.jwksUrl().orElseThrow(() -> new IllegalStateException("latch.jwt.jwks-url is not set"));
        HttpsJwks jwks = new HttpsJwks(url);
        jwks.setDefaultCacheDuration(300);
        jwks.setRetainCacheOnErrorDuration(300);
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
