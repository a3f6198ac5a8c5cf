package dev.latch.common.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Keys from auth-service's JWKS URL. jose4j caches the set for its {@code Cache-Control} lifetime
 * and refetches it, at most every 30 s, when a token names a {@code kid} it does not know.
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
        jwks.setRefreshReprieveThreshold(300);
        HttpsJwksVerificationKeyResolver r = new HttpsJwksVerificationKeyResolver(jwks);
        r.setDisambiguateWithVerifySignature(true);
        this.resolver = r;
    }

    @Override
    public VerificationKeyResolver resolver() {
        return resolver;
    }
}
