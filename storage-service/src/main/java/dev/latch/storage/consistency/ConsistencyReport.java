package dev.latch.storage.consistency;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/storage/consistency}: per backend, records, records without blob, blobs without record. */
@RegisterForReflection
public record ConsistencyReport(List<Backend> backends, Instant checkedAt) {

    /** One backend's figures; {@code type} is DATABASE, LOCAL or S3. */
    @RegisterForReflection
    public record Backend(String type, long records, long recordsWithoutBlob, long blobsWithoutRecord) {}
}
