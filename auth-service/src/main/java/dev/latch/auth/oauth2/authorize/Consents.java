package dev.latch.auth.oauth2.authorize;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Remembered consents: per (user, client), the union of the scopes the user allowed, until revoked. */
@ApplicationScoped
public class Consents {

    private final ConsentRepository consents;

    public Consents(ConsentRepository consents) {
        this.consents = consents;
    }

    /** Whether the user already allowed this client every one of {@code scopes}. */
    @Transactional
    public boolean covers(UUID userId, String clientId, Collection<String> scopes) {
        return consents.find(userId, clientId)
                .map(c -> Set.of(c.scopes).containsAll(scopes))
                .orElse(false);
    }

    @Transactional
    public void remember(UUID userId, String clientId, Collection<String> scopes) {
        Consent consent = consents.find(userId, clientId).orElse(null);
        if (consent == null) {
            consent = new Consent();
            consent.userId = userId;
            consent.clientId = clientId;
            consent.scopes = scopes.toArray(String[]::new);
            consent.grantedAt = Instant.now();
            consents.persist(consent);
            return;
        }
        Set<String> union = new LinkedHashSet<>(Arrays.asList(consent.scopes));
        union.addAll(scopes);
        consent.scopes = union.toArray(String[]::new);
        consent.grantedAt = Instant.now();
    }

    @Transactional
    public List<Consent> of(UUID userId) {
        return consents.ofUser(userId);
    }

    /** Forgets the user's consent for a client; false when there was none. */
    @Transactional
    public boolean revoke(UUID userId, String clientId) {
        return consents.remove(userId, clientId);
    }
}
