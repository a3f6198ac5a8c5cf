package dev.latch.auth.client;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Every query on {@code oauth_clients}. */
@ApplicationScoped
public class OAuthClientRepository implements PanacheRepositoryBase<OAuthClient, String> {

    /** The client with this id; a value that is no generated id is not looked up. */
    public Optional<OAuthClient> findByClientId(String clientId) {
        return OAuthClient.isWellFormedId(clientId) ? findByIdOptional(clientId) : Optional.empty();
    }

    /** Up to {@code limit} clients by id, after {@code afterClientId} when given. */
    public List<OAuthClient> pageByClientId(String afterClientId, int limit) {
        if (afterClientId == null) {
            return findAll(Sort.by("clientId")).page(0, limit).list();
        }
        return find("clientId > ?1", Sort.by("clientId"), afterClientId)
                .page(0, limit)
                .list();
    }
}
