package dev.latch.storage.migration;

import dev.latch.storage.backend.StorageType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A move of every attachment from one backend to another; its state lives here so it survives restarts. */
@Entity
@Table(name = "storage_migrations")
public class Migration {

    public enum Status {
        RUNNING,
        COMPLETED,
        FAILED
    }

    @Id
    public String id;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_type")
    public StorageType from;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_type")
    public StorageType to;

    @Enumerated(EnumType.STRING)
    public Status status;

    public int done;
    public int total;
    public int failed;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "lease_owner")
    public String leaseOwner;

    @Column(name = "lease_until")
    public Instant leaseUntil;
}
