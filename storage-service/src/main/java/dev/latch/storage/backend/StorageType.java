package dev.latch.storage.backend;

/** Where an attachment's bytes live; each attachment records its own, so changing the default breaks no old file. */
public enum StorageType {
    DATABASE,
    LOCAL,
    S3,
    /** A link to a file elsewhere: Latch stores only the URL. */
    EXTERNAL
}
