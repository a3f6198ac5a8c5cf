package dev.latch.storage.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Where blobs live. Each attachment records the backend it was written to and the backend's
 * {@code reference} (object key), so changing the default never breaks old files.
 */
public interface StorageBackend {

    StorageType type();

    /**
     * Streams {@code content} into the store under a key derived from {@code uid} (and, on LOCAL, the
     * sanitised filename), replacing a blob already there, and returns the reference. Reads the stream
     * to its end with bounded memory. When anything fails — including the stream itself, e.g. a size
     * limit — nothing is left behind and the failure is rethrown.
     *
     * @throws StorageUnavailableException when the store cannot be reached
     */
    String write(String uid, String filename, String contentType, InputStream content);

    /**
     * Opens bytes {@code [offset, offset + length)} of the blob; {@code length < 0} means to the end.
     *
     * @throws BlobMissingException when there is no such blob
     */
    InputStream open(String reference, long offset, long length);

    /** At most {@code length} bytes of {@code in}, then its end; all of it when {@code length < 0}. */
    static InputStream limit(InputStream in, long length) {
        if (length < 0) {
            return in;
        }
        try {
            return BoundedInputStream.builder()
                    .setInputStream(in)
                    .setMaxCount(length)
                    .get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Size of the stored blob in bytes, or -1 when there is none. */
    long size(String reference);

    /**
     * Removes the blob; removing a missing blob is not an error.
     *
     * @throws StorageUnavailableException when the store cannot be reached (the caller retries later)
     */
    void delete(String reference);

    /** Throws when the backend cannot take a write now (readiness). */
    void check() throws Exception;
}
