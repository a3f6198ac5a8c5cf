package dev.latch.storage.settings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** The one row of {@code storage_settings}. Callers bring the transaction. */
@ApplicationScoped
public class StorageSettingsRepository {

    private final EntityManager em;

    public StorageSettingsRepository(EntityManager em) {
        this.em = em;
    }

    StorageSettingsRow find() {
        return em.find(StorageSettingsRow.class, StorageSettingsRow.ID);
    }

    /**
     * Stores {@code row} unless a row is there already; {@code false} when one was. Two replicas starting together
     * both seed: the table lock (it lets readers through) makes the second see the first's row instead of failing on
     * the primary key.
     */
    boolean insertIfAbsent(StorageSettingsRow row) {
        em.createNativeQuery("LOCK TABLE storage_settings IN EXCLUSIVE MODE").executeUpdate();
        if (find() != null) {
            return false;
        }
        em.persist(row);
        return true;
    }

    void persist(StorageSettingsRow row) {
        em.persist(row);
    }
}
