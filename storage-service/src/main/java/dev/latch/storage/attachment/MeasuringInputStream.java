package dev.latch.storage.attachment;

import dev.latch.common.error.ProblemException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts and hashes (SHA-256) the bytes on their way to a backend, and stops the upload with 413 as
 * soon as one byte more than the limit arrives — before it is stored.
 */
public final class MeasuringInputStream extends FilterInputStream {

    private final long limit;
    private final MessageDigest digest;
    private long count;

    public MeasuringInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ProblemException tooLarge(long limit) {
        return new ProblemException(
                413, "Content Too Large", "The file is larger than the limit of " + limit + " bytes.");
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count(1);
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count(n);
            digest.update(b, off, n);
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw tooLarge(limit);
        }
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("every byte must be hashed");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    public long count() {
        return count;
    }

    /** The SHA-256 of everything read, in lowercase hex; call once, after the end. */
    public String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
