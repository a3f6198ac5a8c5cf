package dev.latch.auth.user;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every query on {@code users} and {@code federated_identities}; the rules about them are in {@link UserService}. */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    private static final long FIRST_USER_LOCK = 7240532;

    /** The user, if it exists and is active: the one place that decides whether a user may act. */
    public Optional<User> findActive(UUID id) {
        return findByIdOptional(id).filter(User::active);
    }

    public Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public Optional<User> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email).firstResultOptional();
    }

    /** Up to {@code limit} users by username, after {@code after} (exclusive) when given. */
    public List<User> pageByUsername(String after, int limit) {
        return (after == null
                        ? findAll(Sort.ascending("username"))
                        : find("username > ?1", Sort.ascending("username"), after))
                .page(0, limit)
                .list();
    }

    public long countAdmins() {
        return count("role", User.Role.ADMIN);
    }

    public long countActiveAdmins() {
        return count("role = ?1 and status = ?2", User.Role.ADMIN, User.Status.ACTIVE);
    }

    /** Whether the bootstrap ADMIN is settled: an ADMIN or a local account exists. */
    public boolean anyAdminOrLocalAccount() {
        return count("role = ?1 or passwordHash is not null", User.Role.ADMIN) > 0;
    }

    public void updatePasswordHash(UUID id, String passwordHash) {
        update("passwordHash = ?1, updatedAt = ?2 where id = ?3", passwordHash, Instant.now(), id);
    }

    /** Serialises user creation for the rest of the transaction, so exactly one first user becomes ADMIN. */
    public void lockUserCreation() {
        getEntityManager()
                .createNativeQuery("SELECT pg_advisory_xact_lock(" + FIRST_USER_LOCK + ")")
                .getSingleResult();
    }

    public void persistLink(FederatedIdentity identity) {
        getEntityManager().persist(identity);
    }

    /**
     * The link for this subject at this provider instance. A link recorded without an issuer (before issuers were
     * stored) matches any issuer once; {@link UserService} then records it.
     */
    public Optional<FederatedIdentity> findLink(String provider, String issuer, String subject) {
        if (issuer == null) {
            return getEntityManager()
                    .createQuery(
                            "from FederatedIdentity where provider = ?1 and subject = ?2 and issuer is null",
                            FederatedIdentity.class)
                    .setParameter(1, provider)
                    .setParameter(2, subject)
                    .setMaxResults(1)
                    .getResultStream()
                    .findFirst();
        }
        return getEntityManager()
                .createQuery(
                        "from FederatedIdentity where provider = ?1 and subject = ?2 and (issuer = ?3 or issuer is null) "
                                + "order by issuer nulls last",
                        FederatedIdentity.class)
                .setParameter(1, provider)
                .setParameter(2, subject)
                .setParameter(3, issuer)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }
}
