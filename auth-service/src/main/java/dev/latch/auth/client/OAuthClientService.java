package dev.latch.auth.client;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.user.User;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OAuth clients an ADMIN registers: ids and secrets are generated here, a secret is kept only as its SHA-256,
 * and every change is audited in its transaction. Bodies come validated ({@link OAuthClientRequest}).
 */
@ApplicationScoped
public class OAuthClientService {

    /** 16 random bytes: 22 base64url characters. */
    static final int ID_BYTES = 16;
    /** 32 random bytes (256 bits): 43 base64url characters. */
    static final int SECRET_BYTES = 32;

    private static final int ID_ATTEMPTS = 5;

    private final OAuthClientRepository repository;
    private final AuditService audit;
    private final Set<String> configured;

    public OAuthClientService(OAuthClientRepository repository, AuditService audit, AuthConfig config) {
        this.repository = repository;
        this.audit = audit;
        this.configured = Set.copyOf(config.clients().keySet());
    }

    /** A client and, just after it was generated, its secret (null otherwise, and always for a public client). */
    public record WithSecret(OAuthClient client, String secret) {}

    @Transactional
    public WithSecret create(User actor, OAuthClientRequest request) {
        OAuthClient client = new OAuthClient();
        client.clientId = newClientId();
        client.type = request.type();
        apply(client, request);
        client.createdAt = client.updatedAt;
        String secret = client.confidential() ? SecureTokens.randomBase64Url(SECRET_BYTES) : null;
        client.secretHash = secret == null ? null : SecureTokens.sha256(secret);
        repository.persist(client);
        record(AuditService.OAUTH_CLIENT_CREATED, actor, client);
        return new WithSecret(client, secret);
    }

    public OAuthClient get(String clientId) {
        return repository.findByClientId(clientId).orElseThrow(OAuthClientService::notFound);
    }

    public List<OAuthClient> page(String afterClientId, int limit) {
        return repository.pageByClientId(afterClientId, limit);
    }

    /** Replaces the mutable fields; {@code request.type()} is the client's own (checked by the caller). */
    @Transactional
    public OAuthClient update(User actor, String clientId, OAuthClientRequest request) {
        OAuthClient client = get(clientId);
        apply(client, request);
        record(AuditService.OAUTH_CLIENT_UPDATED, actor, client);
        return client;
    }

    @Transactional
    public void delete(User actor, String clientId) {
        OAuthClient client = get(clientId);
        repository.delete(client);
        record(AuditService.OAUTH_CLIENT_DELETED, actor, client);
    }

    /** A new secret for a confidential client; the old one stops authenticating with this commit. */
    @Transactional
    public WithSecret rotateSecret(User actor, String clientId) {
        OAuthClient client = get(clientId);
        if (!client.confidential()) {
            throw ProblemException.conflict("A public client has no secret.");
        }
        String secret = SecureTokens.randomBase64Url(SECRET_BYTES);
        client.secretHash = SecureTokens.sha256(secret);
        client.updatedAt = now();
        record(AuditService.OAUTH_CLIENT_SECRET_ROTATED, actor, client);
        return new WithSecret(client, secret);
    }

    /** A random id that no configured client and no stored client has. */
    private String newClientId() {
        for (int i = 0; i < ID_ATTEMPTS; i++) {
            String id = SecureTokens.randomBase64Url(ID_BYTES);
            if (!configured.contains(id) && repository.findByClientId(id).isEmpty()) {
                return id;
            }
        }
        throw new IllegalStateException("no free client id after " + ID_ATTEMPTS + " attempts");
    }

    private static void apply(OAuthClient client, OAuthClientRequest r) {
        client.name = r.name().trim();
        client.redirectUris = distinct(r.redirectUris());
        client.postLogoutRedirectUris = distinct(r.postLogoutRedirectUris());
        client.grantTypes = distinct(r.grantTypes());
        client.scopes = distinct(r.scopes());
        client.firstParty = Boolean.TRUE.equals(r.firstParty());
        client.requirePar = Boolean.TRUE.equals(r.requirePar());
        client.backchannelLogoutUri = r.backchannelLogoutUri();
        client.updatedAt = now();
    }

    private static String[] distinct(List<String> values) {
        return values == null ? new String[0] : values.stream().distinct().toArray(String[]::new);
    }

    /** Microseconds, as PostgreSQL keeps them: the answer shows what a later read shows. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void record(String type, User actor, OAuthClient client) {
        audit.record(
                type, actor.id.toString(), actor.username, Map.of("client_id", client.clientId, "name", client.name));
    }

    static ProblemException notFound() {
        return ProblemException.notFound("No OAuth client with this id.");
    }
}
