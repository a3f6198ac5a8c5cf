package dev.latch.storage.backend;

import java.time.Instant;

/** A blob found by listing a backend: its reference (object key or {@code {uid}/{filename}}) and when it was written. */
public record StoredBlob(String reference, Instant modifiedAt) {}
