package dev.latch.storage.migration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** An attachment a migration could not move, and why; skipped for the rest of that migration. */
@Entity
@Table(name = "storage_migration_failures")
@IdClass(MigrationFailure.Key.class)
public class MigrationFailure {

    @Id
    @Column(name = "migration_id")
    public String migrationId;

    @Id
    public String uid;

    public String reason;

    public static class Key implements Serializable {
        public String migrationId;
        public String uid;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(migrationId, k.migrationId) && Objects.equals(uid, k.uid);
        }

        @Override
        public int hashCode() {
            return Objects.hash(migrationId, uid);
        }
    }
}
