package dev.latch.storage.presign;

/** How a read of an S3 attachment is answered. */
public enum Delivery {
    /** A redirect to the store's presigned URL: the store serves the bytes. */
    PRESIGNED,
    /** storage-service streams the bytes itself, checking access on every request. */
    PROXY
}
