package dev.latch.auth.key;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The {@code signing_keys} table: every query {@link DatabaseKeySource} runs. */
@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKeyRow, String> {

    /** The advisory-lock id of first-key generation; no other code in this database takes it. */
    private static final long FIRST_KEY_LOCK = 7240531;

    /**
     * Holds a transaction-scoped advisory lock so that one replica generates the first key; the others wait on
     * it and then see that key.
     */
    void lockFirstKey() {
        getEntityManager()
                .createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
                .setParameter(1, FIRST_KEY_LOCK)
                .getSingleResult();
    }

    boolean isEmpty() {
        return count() == 0;
    }

    /** Every stored key, oldest activation first: each signs until the next one activates. */
    List<SigningKeyRow> byActivation() {
        return listAll(Sort.by("activatedAt"));
    }
}
