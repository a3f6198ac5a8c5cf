package dev.latch.auth.key;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.key.KeySource.LoadedKey;
import dev.latch.common.auth.LatchJwtConfig;
import dev.latch.common.auth.VerificationKeys;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * The keys that sign Latch access tokens and the public half that verifies them: the active key, the cache of
 * what the {@link KeySource} loaded, and the JWKS. A rotated key is published in the JWKS {@code publish-lead}
 * before it signs; a retired key stays published until the last token it signed has expired.
 */
@ApplicationScoped
public class SigningKeyStore implements VerificationKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeyStore.class);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final KeySource source;
    private final Duration publishLead;
    private final Duration reloadEvery;
    private final Duration tokensOutlive;
    private final Duration unknownKidReload;
    private volatile List<LoadedKey> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    @Inject
    public SigningKeyStore(AuthConfig config, LatchJwtConfig jwt, SigningKeyRepository repository) {
        this(
                KeySource.configured(config.keys(), repository),
                config.keys().publishLead(),
                config.token().accessTtl(),
                jwt.unknownKidRefetchInterval(),
                config.keys().reloadInterval());
    }

    SigningKeyStore(
            KeySource source,
            Duration publishLead,
            Duration accessTtl,
            Duration unknownKidReload,
            Duration reloadEvery) {
        this.source = source;
        this.publishLead = publishLead;
        this.reloadEvery = reloadEvery;
        this.tokensOutlive = accessTtl.plus(SKEW);
        this.unknownKidReload = unknownKidReload;
    }

    void onStart(@Observes StartupEvent event) {
        if (source.changesWhileRunning() && publishLead.compareTo(reloadEvery) <= 0) {
            LOG.warnf(
                    "latch.auth.keys.publish-lead (%s) is not longer than latch.auth.keys.reload-interval (%s): after a"
                            + " rotation, another replica may sign with the new key before every replica publishes it",
                    publishLead, reloadEvery);
        }
        source.prepare();
        reload();
    }

    /** The key that signs tokens now. */
    public SigningKey active() {
        return activeLoaded().key();
    }

    /** Signs a compact JWS with the active key. */
    public String sign(String payload, String typ) {
        return sign(algorithm -> payload, typ);
    }

    /**
     * Signs a compact JWS with the active key, whose payload depends on that key's algorithm (an ID token's
     * {@code at_hash} is computed with the hash of the algorithm that signs it).
     */
    public String sign(java.util.function.Function<String, String> payloadForAlgorithm, String typ) {
        LoadedKey k = activeLoaded();
        String payload = payloadForAlgorithm.apply(k.key().algorithm());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(k.key().algorithm());
        jws.setKeyIdHeaderValue(k.key().kid());
        jws.setHeader("typ", typ);
        jws.setKey(k.privateJwk().getPrivateKey());
        try {
            return jws.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** Every public key that may still verify a live token, or that will sign soon. */
    public List<SigningKey> published() {
        refreshIfStale();
        Instant now = Instant.now();
        return keys.stream()
                .map(LoadedKey::key)
                .filter(k -> k.stateAt(now, tokensOutlive).published())
                .toList();
    }

    public String jwksJson() {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKey k : published()) {
            set.addJsonWebKey(k.jwk());
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    public List<String> algorithms() {
        return published().stream().map(SigningKey::algorithm).distinct().toList();
    }

    /** Generates a new key, published now and signing after {@code publish-lead}. */
    public SigningKey rotate() {
        Instant activation = Instant.now().plus(publishLead);
        String kid = source.rotate(activation);
        reload();
        SigningKey key = keys.stream()
                .map(LoadedKey::key)
                .filter(k -> k.kid().equals(kid))
                .findFirst()
                .orElseThrow();
        LOG.infof("signing key %s (%s) published; it signs from %s", kid, key.algorithm(), activation);
        return key;
    }

    @Override
    public VerificationKeyResolver resolver() {
        return new VerificationKeyResolver() {
            @Override
            public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nesting)
                    throws UnresolvableKeyException {
                String kid = jws.getKeyIdHeaderValue();
                SigningKey key = find(kid);
                if (key == null && source.changesWhileRunning()) {
                    reloadThrottled();
                    key = find(kid);
                }
                if (key == null) {
                    throw new UnresolvableKeyException("unknown kid");
                }
                if (!key.algorithm().equals(jws.getAlgorithmHeaderValue())) {
                    throw new UnresolvableKeyException("alg does not match the key");
                }
                return key.jwk().getPublicKey();
            }
        };
    }

    private SigningKey find(String kid) {
        if (kid == null) {
            return null;
        }
        return published().stream().filter(k -> k.kid().equals(kid)).findFirst().orElse(null);
    }

    private LoadedKey activeLoaded() {
        refreshIfStale();
        Instant now = Instant.now();
        return keys.stream()
                .filter(k -> k.key().stateAt(now, tokensOutlive) == KeyState.ACTIVE)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no signing key is active"));
    }

    private void refreshIfStale() {
        if (source.changesWhileRunning() && loadedAt.plus(reloadEvery).isBefore(Instant.now())) {
            reloadIfOlderThan(reloadEvery);
        }
    }

    /** An unknown kid reloads at most once per interval; threads that waited on the lock reuse that load. */
    private void reloadThrottled() {
        if (loadedAt.plus(unknownKidReload).isBefore(Instant.now())) {
            reloadIfOlderThan(unknownKidReload);
        }
    }

    private synchronized void reloadIfOlderThan(Duration age) {
        if (loadedAt.plus(age).isBefore(Instant.now())) {
            reload();
        }
    }

    private synchronized void reload() {
        keys = source.load();
        loadedAt = Instant.now();
    }
}
