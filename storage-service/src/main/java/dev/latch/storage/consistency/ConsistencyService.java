package dev.latch.storage.consistency;

import dev.latch.storage.backend.Backends;
import dev.latch.storage.backend.LocalBackend;
import dev.latch.storage.backend.S3Backend;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.backend.StorageUnavailableException;
import dev.latch.storage.backend.StoredBlob;
import dev.latch.storage.config.StorageConfig;
import dev.latch.storage.settings.SettingsService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Compares the attachment records with what each backend really holds. Records without blob: attachments
 * whose blob is missing on their backend. Blobs without record: blobs on a backend that no attachment
 * references, leaving out those a pending deletion or a direct upload still under way accounts for (so a
 * healthy system reports 0 and 0, also while deletions wait for a store to come back). Only what the service
 * writes is looked at: {@code attachments/} and {@code uploads/} in the bucket, {@code {data-dir}/attachments}
 * on disk, {@code blob_chunks} in PostgreSQL. Backends are listed page by page, so memory holds one page.
 * <p>
 * Records created and blobs written during the last {@code latch.storage.consistency.grace} before the
 * check are left out: an upload in flight has its blob a moment before its record. A backend that cannot be
 * listed fails the whole check with 503 (figures for the other backends alone would read as "all is well").
 */
@ApplicationScoped
public class ConsistencyService {

    private static final Logger LOG = Logger.getLogger(ConsistencyService.class);

    private final ConsistencyRepository repository;
    private final LocalBackend local;
    private final S3Backend s3;
    private final SettingsService settings;
    private final int pageSize;
    private final Duration grace;

    public ConsistencyService(
            ConsistencyRepository repository,
            Backends backends,
            LocalBackend local,
            SettingsService settings,
            StorageConfig config) {
        this.repository = repository;
        this.local = local;
        this.s3 = backends.s3();
        this.settings = settings;
        this.pageSize = Math.max(1, Math.min(1000, config.consistency().pageSize()));
        this.grace = config.consistency().grace();
    }

    public ConsistencyReport check() {
        Instant checkedAt = Instant.now();
        Instant cutoff = checkedAt.minus(grace);
        List<ConsistencyReport.Backend> backends = new ArrayList<>();
        ConsistencyRepository.DatabaseCounts db = repository.database(cutoff);
        backends.add(new ConsistencyReport.Backend(
                StorageType.DATABASE.name(), db.records(), db.recordsWithoutBlob(), db.blobsWithoutRecord()));
        backends.add(listed(StorageType.LOCAL, cutoff));
        backends.add(listed(StorageType.S3, cutoff));
        LOG.debugf("consistency check at %s: %s", checkedAt, backends);
        return new ConsistencyReport(List.copyOf(backends), checkedAt);
    }

    /** LOCAL or S3: the backend's listing against the records, one page at a time. */
    private ConsistencyReport.Backend listed(StorageType type, Instant cutoff) {
        if (type == StorageType.S3 && settings.current().s3().bucketOpt().isEmpty()) {
            // no bucket: S3 is not in use — unless something refers to it, which cannot be checked now
            if (repository.refersTo(StorageType.S3)) {
                throw new StorageUnavailableException("the S3 bucket is not configured");
            }
            return new ConsistencyReport.Backend(type.name(), 0, 0, 0);
        }
        long records = repository.records(type, cutoff);
        long[] counts = new long[2];
        Consumer<List<StoredBlob>> page = blobs -> {
            ConsistencyRepository.PageCounts c = repository.page(type, blobs, cutoff);
            counts[0] += c.matchedRecords();
            counts[1] += c.unaccounted();
        };
        if (type == StorageType.S3) {
            s3.list(S3Backend.PREFIX, pageSize, page);
            s3.list(S3Backend.UPLOAD_PREFIX, pageSize, page);
        } else {
            local.list(pageSize, page);
        }
        return new ConsistencyReport.Backend(type.name(), records, Math.max(0, records - counts[0]), counts[1]);
    }
}
