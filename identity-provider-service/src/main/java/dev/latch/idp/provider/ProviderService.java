package dev.latch.idp.provider;

import dev.latch.common.error.ProblemException;
import dev.latch.common.error.Validation;
import dev.latch.common.security.AesGcm;
import dev.latch.idp.config.IdpConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.validation.groups.Default;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The provider registry: PostgreSQL rows (and providers declared in configuration, written at start).
 * Client secrets are encrypted with AES-256-GCM bound to the provider id and never returned or logged.
 */
@ApplicationScoped
public class ProviderService {

    private static final Logger LOG = Logger.getLogger(ProviderService.class);
    /** The fields that say whose subjects a provider's logins carry. */
    private static final List<String> IDENTITY_FIELDS = List.of("kind", "issuer", "tenant", "baseUrl");

    private final IdpConfig config;
    private final ProviderUrlPolicy urls;
    private final Validator validator;

    public ProviderService(IdpConfig config, ProviderUrlPolicy urls, Validator validator) {
        this.config = config;
        this.urls = urls;
        this.validator = validator;
    }

    void declare(@Observes StartupEvent event) {
        config.providers()
                .forEach((id, p) -> QuarkusTransaction.requiringNew().run(() -> {
                    ProviderPayload payload = new ProviderPayload(
                            id,
                            p.kind(),
                            p.title().orElse(null),
                            p.clientId().orElse(null),
                            p.clientSecret().orElse(null),
                            p.issuer().orElse(null),
                            p.tenant().orElse(null),
                            p.baseUrl().orElse(null),
                            p.authorizationUrl().orElse(null),
                            p.tokenUrl().orElse(null),
                            p.userInfoUrl().orElse(null),
                            p.scopes().orElse(null),
                            p.pkce().orElse(null),
                            p.enabled(),
                            p.fieldMapping().isEmpty() ? null : p.fieldMapping(),
                            // configuration wins: what it leaves out takes the kind's default, not the last value
                            p.trustEmail()
                                    .orElseGet(() -> ProviderKind.of(p.kind()) != null
                                            && ProviderKind.of(p.kind()).trustsEmailByDefault()),
                            p.allowedEmailDomains().orElse(List.of()),
                            p.allowSignup(),
                            null,
                            null);
                    try {
                        if (IdentityProvider.findById(id) == null) {
                            create(payload);
                        } else {
                            update(id, payload);
                        }
                    } catch (ProblemException e) {
                        // a declaration the admin API would refuse must not start half-applied
                        throw new IllegalStateException("latch.idp.providers." + id + " is refused: " + e.detail());
                    } catch (ConstraintViolationException e) {
                        throw new IllegalStateException("latch.idp.providers." + id + " is refused: "
                                + e.getConstraintViolations().stream()
                                        .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                                        .sorted()
                                        .collect(Collectors.joining(" ")));
                    }
                    LOG.infof("identity provider %s (%s) declared in configuration", id, p.kind());
                }));
    }

    public List<IdentityProvider> all() {
        return IdentityProvider.listAll(Sort.by("id"));
    }

    public Optional<IdentityProvider> find(String id) {
        return Optional.ofNullable(IdentityProvider.findById(id));
    }

    /** A provider that can run logins, or 404. */
    public IdentityProvider usable(String id) {
        return find(id).filter(IdentityProvider::usable)
                .orElseThrow(() -> ProblemException.notFound("No such identity provider: " + id + "."));
    }

    @Transactional
    public IdentityProvider create(ProviderPayload body) {
        if (body == null) {
            throw ProblemException.badRequest("A JSON body is required.");
        }
        Validation.validate(validator, body, Default.class, ProviderPayload.Creating.class);
        if (IdentityProvider.findById(body.id()) != null) {
            throw ProblemException.conflict("A provider with id '" + body.id() + "' exists.");
        }
        IdentityProvider p = new IdentityProvider();
        p.id = body.id();
        p.instanceId = UUID.randomUUID();
        p.createdAt = Instant.now();
        apply(p, body, true);
        p.persist();
        return p;
    }

    @Transactional
    public IdentityProvider update(String id, ProviderPayload body) {
        if (body == null) {
            throw ProblemException.badRequest("A JSON body is required.");
        }
        if (body.id() != null && !body.id().equals(id)) {
            throw ProblemException.badRequest("The id in the body does not match the path.");
        }
        // locked, so a login recording its first use waits for this change (see recordLogin)
        IdentityProvider p = Optional.ofNullable(
                        IdentityProvider.<IdentityProvider>findById(id, LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> ProblemException.notFound("No such identity provider: " + id + "."));
        Validation.validate(validator, body);
        List<String> before = identity(p);
        apply(p, body, false);
        if (p.firstLoginAt != null) {
            List<String> changed = new java.util.ArrayList<>();
            List<String> after = identity(p);
            for (int i = 0; i < IDENTITY_FIELDS.size(); i++) {
                if (!Objects.equals(before.get(i), after.get(i))) {
                    changed.add(IDENTITY_FIELDS.get(i));
                }
            }
            if (!changed.isEmpty()) {
                throw ProblemException.conflict(String.join(", ", changed) + " of provider '" + id
                        + "' cannot change: users have signed in through it, and their existing links would map onto the"
                        + " subjects of another issuer. Create a new provider for the other issuer instead.");
            }
        }
        return p;
    }

    private static List<String> identity(IdentityProvider p) {
        return java.util.Arrays.asList(p.kind, p.issuer, p.tenant, p.baseUrl);
    }

    /**
     * Records that a login through this provider, as configured in {@code used}, is about to reach
     * auth-service (where it may create a link), fixing the provider's identity from now on. False when
     * the provider's identity changed since the login read it: that login's subject belongs to the old
     * issuer and must not be linked. The row lock orders this against a concurrent update.
     */
    @Transactional
    public boolean recordLogin(IdentityProvider used) {
        IdentityProvider current = IdentityProvider.findById(used.id, LockModeType.PESSIMISTIC_WRITE);
        if (current == null
                || !current.instanceId.equals(used.instanceId)
                || !identity(current).equals(identity(used))) {
            return false;
        }
        if (current.firstLoginAt == null) {
            current.firstLoginAt = Instant.now();
        }
        return true;
    }

    @Transactional
    public void delete(String id) {
        if (!IdentityProvider.deleteById(id)) {
            throw ProblemException.notFound("No such identity provider: " + id + ".");
        }
    }

    public String clientSecret(IdentityProvider p) {
        if (p.clientSecretEnc == null) {
            return null;
        }
        return new String(
                encryption().decrypt(p.clientSecretEnc, "latch.idp.client-secret:" + p.id), StandardCharsets.UTF_8);
    }

    public ProviderPayload view(IdentityProvider p) {
        return new ProviderPayload(
                p.id,
                p.kind,
                p.title,
                p.clientId,
                null,
                p.issuer,
                p.tenant,
                p.baseUrl,
                p.authorizationUrl,
                p.tokenUrl,
                p.userInfoUrl,
                scopes(p),
                p.pkce,
                p.enabled,
                p.fieldMapping,
                p.trustEmail,
                p.allowedEmailDomains,
                p.allowSignup,
                p.clientSecretEnc != null,
                p.firstLoginAt);
    }

    public static List<String> scopes(IdentityProvider p) {
        return p.scopes == null || p.scopes.isBlank() ? List.of() : Arrays.asList(p.scopes.split(" "));
    }

    private void apply(IdentityProvider p, ProviderPayload b, boolean creating) {
        // the body met its constraints: a kind it names is known, and a new provider names one
        String kindId = b.kind() != null ? b.kind() : p.kind;
        ProviderKind kind = ProviderKind.of(kindId);
        boolean kindChanged = !kindId.equals(p.kind);
        p.kind = kind.id();
        if (b.title() != null || creating) {
            p.title = b.title() != null ? b.title() : kind.title() != null ? kind.title() : p.id;
        }
        if (b.clientId() != null) {
            p.clientId = b.clientId().isBlank() ? null : b.clientId().trim();
        }
        if (b.clientSecret() != null) {
            p.clientSecretEnc = b.clientSecret().isEmpty()
                    ? null
                    : encryption()
                            .encrypt(
                                    b.clientSecret().getBytes(StandardCharsets.UTF_8),
                                    "latch.idp.client-secret:" + p.id);
        }
        if (b.issuer() != null) {
            p.issuer = blankToNull(url("issuer", b.issuer()));
        }
        if (b.tenant() != null) {
            p.tenant = b.tenant();
        }
        if (b.baseUrl() != null) {
            p.baseUrl = blankToNull(url("baseUrl", b.baseUrl()));
        }
        if (b.authorizationUrl() != null) {
            p.authorizationUrl = blankToNull(url("authorizationUrl", b.authorizationUrl()));
        }
        if (b.tokenUrl() != null) {
            p.tokenUrl = blankToNull(url("tokenUrl", b.tokenUrl()));
        }
        if (b.userInfoUrl() != null) {
            p.userInfoUrl = blankToNull(url("userInfoUrl", b.userInfoUrl()));
        }
        if (b.scopes() != null || creating || kindChanged) {
            List<String> scopes = b.scopes() != null ? b.scopes() : kind.defaultScopes();
            p.scopes = String.join(" ", scopes.stream().distinct().toList());
        }
        if (b.pkce() != null || creating) {
            p.pkce = b.pkce() == null || b.pkce();
        }
        if (b.enabled() != null || creating) {
            p.enabled = b.enabled() == null || b.enabled();
        }
        if (b.fieldMapping() != null || creating || kindChanged) {
            Map<String, String> mapping = new LinkedHashMap<>(kind.defaultMapping());
            if (b.fieldMapping() != null) {
                for (var e : b.fieldMapping().entrySet()) {
                    if (e.getValue() == null || e.getValue().isBlank()) {
                        mapping.remove(e.getKey());
                    } else {
                        mapping.put(e.getKey(), e.getValue());
                    }
                }
            }
            p.fieldMapping = mapping;
        }
        if (b.trustEmail() != null || creating || kindChanged) {
            p.trustEmail = b.trustEmail() != null ? b.trustEmail() : kind.trustsEmailByDefault();
        }
        if (b.allowedEmailDomains() != null) {
            // checked and normalised by the body; an empty list clears the restriction
            List<String> domains = b.allowedEmailDomains().stream().distinct().toList();
            p.allowedEmailDomains = domains.isEmpty() ? null : domains;
        }
        if (b.allowSignup() != null || creating) {
            p.allowSignup = Boolean.TRUE.equals(b.allowSignup());
        }
        if (kind.needsIssuer() && p.issuer == null) {
            throw ProblemException.badRequest("issuer is required for kind " + kind.id() + ".");
        }
        if (kind == ProviderKind.OAUTH2
                && (p.authorizationUrl == null || p.tokenUrl == null || p.userInfoUrl == null)) {
            throw ProblemException.badRequest("kind oauth2 needs authorizationUrl, tokenUrl and userInfoUrl.");
        }
        if (p.fieldMapping == null || !p.fieldMapping.containsKey("identifier")) {
            throw ProblemException.badRequest("fieldMapping.identifier is required.");
        }
        p.updatedAt = Instant.now();
    }

    private String url(String field, String value) {
        if (value.isBlank()) {
            return value;
        }
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field + " is not a URL.");
        }
        boolean https = "https".equals(uri.getScheme());
        boolean http = "http".equals(uri.getScheme());
        if (uri.getHost() == null
                || uri.getUserInfo() != null
                || !(https || http && config.allowInsecureProviderUrls())) {
            throw ProblemException.badRequest(field + " must be an https:// URL.");
        }
        if (value.length() > 2048) {
            throw ProblemException.badRequest(field + " is too long.");
        }
        urls.refusal(value.trim()).ifPresent(reason -> {
            throw ProblemException.badRequest(field + " " + reason + "; the broker calls provider URLs from inside"
                    + " the cluster and refuses internal addresses.");
        });
        return value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private AesGcm encryption() {
        return AesGcm.fromBase64(config.secrets()
                .encryptionKey()
                .orElseThrow(() -> new IllegalStateException(
                        "Set latch.idp.secrets.encryption-key (LATCH_IDP_SECRETS_ENCRYPTION_KEY, base64 of 32 random bytes) "
                                + "to store provider client secrets.")));
    }
}
