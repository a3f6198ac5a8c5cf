package dev.latch.auth.oauth2.authorize;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every query on {@code consents}, by user (the primary key's first column). */
@ApplicationScoped
public class ConsentRepository implements PanacheRepositoryBase<Consent, Consent.Key> {

    public Optional<Consent> find(UUID userId, String clientId) {
        return findByIdOptional(new Consent.Key(userId, clientId));
    }

    public List<Consent> ofUser(UUID userId) {
        return find("userId", Sort.by("grantedAt").descending(), userId).list();
    }

    public boolean remove(UUID userId, String clientId) {
        return delete("userId = ?1 and clientId = ?2", userId, clientId) > 0;
    }
}
