package dev.latch.auth.key;

import dev.latch.auth.config.AuthConfig;
import dev.latch.common.auth.LatchJwtConfig;
import dev.latch.common.auth.VerificationKeys;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.AesGcm;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * The keys that sign Latch access tokens and the public half that verifies them.
 *
 * <p>Two sources: a directory of JWK/PEM files (a mounted Kubernetes Secret; the operator rotates by
 * adding a file and later switching {@code latch.auth.keys.active}), or, when no directory is set,
 * keys generated here and kept in PostgreSQL with the private half encrypted (AES-GCM) under
 * {@code latch.auth.keys.encryption-key}, so restarts and replicas agree. A rotated key is published
 * in the JWKS {@code publish-lead} before it signs; a retired key stays published until the last
 * token it signed has expired.
 */
@ApplicationScoped
public class SigningKeyStore implements VerificationKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeyStore.class);
    private static final String AAD = "latch.signing-key";
    private static final Duration RELOAD_EVERY = Duration.ofSeconds(30);
    private static final Duration SKEW = Duration.ofSeconds(60);

    private final AuthConfig.Keys config;
    private final Duration accessTtl;
    private final EntityManager em;
    private final Duration unknownKidReload;
    private volatile List<LoadedKey> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    record LoadedKey(SigningKey key, PublicJsonWebKey privateJwk) {}

    public SigningKeyStore(AuthConfig config, LatchJwtConfig jwt, EntityManager em) {
        this.unknownKidReload = jwt.unknownKidRefetchInterval();
        this.config = config.keys();
        this.accessTtl = config.token().accessTtl();
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.directory().isPresent()) {
            keys = loadDirectory(config.directory().get());
            LOG.infof(
                    "signing keys loaded from %s: %d key(s), active kid %s",
                    config.directory().get(), keys.size(), active().kid());
        } else {
            ensureGeneratedKey();
            reload();
        }
    }

    /** The key that signs tokens now. */
    public SigningKey active() {
        return activeLoaded().key();
    }

    /** Signs a compact JWS with the active key. */
    public String sign(String payload, String typ) {
        LoadedKey k = activeLoaded();
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
                .filter(k -> k.retiredAt() == null
                        || k.retiredAt().plus(accessTtl).plus(SKEW).isAfter(now))
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
        if (config.directory().isPresent()) {
            throw new ProblemException(
                    409,
                    "Conflict",
                    "Signing keys are managed in " + config.directory().get()
                            + ": add a key file and switch latch.auth.keys.active.");
        }
        Instant activation = Instant.now().plus(config.publishLead());
        PublicJsonWebKey jwk = KeyMaterial.generate(config.algorithm());
        QuarkusTransaction.requiringNew().run(() -> insert(jwk, activation));
        reload();
        LOG.infof("signing key %s (%s) published; it signs from %s", jwk.getKeyId(), config.algorithm(), activation);
        return keys.stream()
                .map(LoadedKey::key)
                .filter(k -> k.kid().equals(jwk.getKeyId()))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public VerificationKeyResolver resolver() {
        return new VerificationKeyResolver() {
            @Override
            public Key resolveKey(JsonWebSignature jws, List<JsonWebStructure> nesting)
                    throws UnresolvableKeyException {
                String kid = jws.getKeyIdHeaderValue();
                SigningKey key = find(kid);
                if (key == null && config.directory().isEmpty()) {
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
                .filter(k -> k.key().signsAt(now))
                .findFirst()
                .or(() -> keys.stream()
                        .filter(k -> !k.key().activatedAt().isAfter(now))
                        .max(Comparator.comparing(k -> k.key().activatedAt())))
                .orElseThrow(() -> new IllegalStateException("no signing key is active"));
    }

    private void refreshIfStale() {
        if (config.directory().isEmpty() && loadedAt.plus(RELOAD_EVERY).isBefore(Instant.now())) {
            reloadIfOlderThan(RELOAD_EVERY);
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
        List<Object[]> rows = QuarkusTransaction.joiningExisting()
                .call(() -> em.createNativeQuery(
                                "SELECT kid, algorithm, private_key, activated_at FROM signing_keys ORDER BY activated_at")
                        .getResultList());
        AesGcm aes = encryption();
        List<LoadedKey> loaded = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            String kid = (String) row[0];
            PublicJsonWebKey jwk;
            try {
                jwk = KeyMaterial.fromJwkJson(
                        new String(aes.decrypt((byte[]) row[2], AAD + ":" + kid), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "signing key " + kid + " does not decrypt with latch.auth.keys.encryption-key"
                                + " (LATCH_AUTH_KEYS_ENCRYPTION_KEY): set the key it was stored with. Without that key the stored signing"
                                + " keys cannot be used again; for a local run whose deploy/.run was deleted (or another checkout on"
                                + " the same databases), `deploy/run-local.sh --reset` drops the local databases and keys and starts over.");
            }
            Instant activated = instant(row[3]);
            Instant retired = i + 1 < rows.size() ? instant(rows.get(i + 1)[3]) : null;
            loaded.add(new LoadedKey(new SigningKey(kid, (String) row[1], publicOnly(jwk), activated, retired), jwk));
        }
        keys = List.copyOf(loaded);
        loadedAt = Instant.now();
    }

    private void ensureGeneratedKey() {
        QuarkusTransaction.requiringNew().run(() -> {
            // one replica generates; the others wait on the lock and then see its key
            em.createNativeQuery("SELECT pg_advisory_xact_lock(7240531)").getSingleResult();
            Number count = (Number)
                    em.createNativeQuery("SELECT count(*) FROM signing_keys").getSingleResult();
            if (count.longValue() == 0) {
                PublicJsonWebKey jwk = KeyMaterial.generate(config.algorithm());
                insert(jwk, Instant.now().minusSeconds(1));
                LOG.warnf(
                        "No signing key directory is configured (latch.auth.keys.directory): generated %s key %s and "
                                + "stored it encrypted in the database. Mount keys from a Secret in production.",
                        config.algorithm(), jwk.getKeyId());
            }
        });
    }

    private void insert(PublicJsonWebKey jwk, Instant activation) {
        byte[] enc = encryption().encrypt(KeyMaterial.utf8(KeyMaterial.privateJson(jwk)), AAD + ":" + jwk.getKeyId());
        em.createNativeQuery(
                        "INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key, created_at, activated_at) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, jwk.getKeyId())
                .setParameter(2, jwk.getAlgorithm())
                .setParameter(3, jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
                .setParameter(4, enc)
                .setParameter(5, Timestamp.from(Instant.now()))
                .setParameter(6, Timestamp.from(activation))
                .executeUpdate();
    }

    private AesGcm encryption() {
        return AesGcm.fromBase64(
                config.encryptionKey()
                        .orElseThrow(
                                () -> new IllegalStateException(
                                        "Set latch.auth.keys.directory (mounted keys) or latch.auth.keys.encryption-key "
                                                + "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`) to store generated signing keys.")));
    }

    private List<LoadedKey> loadDirectory(Path dir) {
        List<PublicJsonWebKey> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // Kubernetes Secret volumes hold ..data links
                }
                String text = Files.readString(file);
                PublicJsonWebKey jwk;
                if (name.endsWith(".pem")) {
                    jwk = KeyMaterial.fromPem(text);
                } else if (name.endsWith(".json") || name.endsWith(".jwk")) {
                    jwk = KeyMaterial.fromJwkJson(text);
                } else {
                    continue;
                }
                found.add(jwk);
                names.add(name.substring(0, name.lastIndexOf('.')));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read signing keys from " + dir + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no .pem, .json or .jwk signing key in " + dir);
        }
        int activeIndex = found.size() - 1;
        if (config.active().isPresent()) {
            String wanted = config.active().get();
            activeIndex = -1;
            for (int i = 0; i < found.size(); i++) {
                if (names.get(i).equals(wanted) || found.get(i).getKeyId().equals(wanted)) {
                    activeIndex = i;
                }
            }
            if (activeIndex < 0) {
                throw new IllegalStateException("latch.auth.keys.active=" + wanted + " names no key in " + dir);
            }
        }
        Instant start = Instant.EPOCH;
        List<LoadedKey> loaded = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            PublicJsonWebKey jwk = found.get(i);
            // the active key signs; the others only verify (older tokens, or a key published ahead of its switch)
            Instant activated = i == activeIndex ? start : Instant.MAX;
            loaded.add(new LoadedKey(
                    new SigningKey(jwk.getKeyId(), jwk.getAlgorithm(), publicOnly(jwk), activated, null), jwk));
        }
        loaded.sort(Comparator.comparing(k -> k.key().activatedAt()));
        return List.copyOf(loaded);
    }

    private static PublicJsonWebKey publicOnly(PublicJsonWebKey jwk) {
        try {
            PublicJsonWebKey pub =
                    PublicJsonWebKey.Factory.newPublicJwk(jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            pub.setKeyId(jwk.getKeyId());
            pub.setUse("sig");
            pub.setAlgorithm(jwk.getAlgorithm());
            return pub;
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
