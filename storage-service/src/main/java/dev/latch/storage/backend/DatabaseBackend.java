package dev.latch.storage.backend;

import dev.latch.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;

/**
 * Blobs in PostgreSQL, as rows of {@code latch.storage.database-chunk-size} bytes in {@code blob_chunks}
 * (statements in {@link BlobChunkRepository}). A write is one local transaction (so a refused or failed upload
 * leaves no row); a read fetches one row at a time with a short-lived connection, so memory stays at one chunk
 * and a slow client holds no connection or transaction. The backend manages its own JDBC transactions and must
 * not be called inside a JTA transaction.
 */
@ApplicationScoped
public class DatabaseBackend implements StorageBackend {

    private final BlobChunkRepository chunks;
    private final int chunkSize;

    public DatabaseBackend(BlobChunkRepository chunks, StorageConfig config) {
        this.chunks = chunks;
        this.chunkSize = Math.max(16 * 1024, config.databaseChunkSize());
    }

    @Override
    public StorageType type() {
        return StorageType.DATABASE;
    }

    @Override
    public String write(String uid, String filename, String contentType, InputStream content) {
        String reference = uid;
        try (BlobChunkRepository.Writer writer = chunks.writer()) {
            writer.deleteAll(reference);
            byte[] buffer = new byte[chunkSize];
            int seq = 0;
            long offset = 0;
            while (true) {
                int n = content.readNBytes(buffer, 0, chunkSize);
                if (n == 0 && seq > 0) {
                    break;
                }
                // an empty blob still has one (empty) row, so its existence is visible
                writer.insert(reference, seq++, offset, buffer, n);
                offset += n;
                if (n < chunkSize) {
                    break;
                }
            }
            writer.commit();
            return reference;
        } catch (IOException e) {
            throw new UncheckedIOException("DATABASE write failed", e);
        } catch (SQLException e) {
            throw new IllegalStateException("DATABASE write failed", e);
        }
    }

    @Override
    public InputStream open(String reference, long offset, long length) {
        BlobChunkRepository.ChunkStart first;
        try {
            first = chunks.chunkAt(reference, Math.max(0, offset)).orElseThrow(BlobMissingException::new);
        } catch (SQLException e) {
            throw new IllegalStateException("DATABASE read failed", e);
        }
        InputStream in = new ChunkStream(reference, first.seq(), (int) (offset - first.startOffset()));
        return StorageBackend.limit(in, length);
    }

    @Override
    public long size(String reference) {
        try {
            return chunks.size(reference);
        } catch (SQLException e) {
            throw new IllegalStateException("DATABASE size failed", e);
        }
    }

    @Override
    public void delete(String reference) {
        try {
            chunks.delete(reference);
        } catch (SQLException e) {
            throw new StorageUnavailableException("DATABASE delete failed: " + e.getSQLState());
        }
    }

    @Override
    public void check() throws SQLException {
        if (!chunks.reachable()) {
            throw new SQLException("connection not valid");
        }
    }

    /** Reads the blob's rows in order, one at a time. */
    private final class ChunkStream extends InputStream {

        private final String reference;
        private int nextSeq;
        private byte[] current = new byte[0];
        private int pos;
        private boolean exhausted;

        ChunkStream(String reference, int firstSeq, int skipInFirst) {
            this.reference = reference;
            this.nextSeq = firstSeq;
            fetch();
            pos = Math.min(Math.max(0, skipInFirst), current.length);
        }

        private void fetch() {
            byte[] data;
            try {
                data = chunks.chunk(reference, nextSeq);
            } catch (SQLException e) {
                throw new IllegalStateException("DATABASE read failed", e);
            }
            if (data != null) {
                current = data;
                nextSeq++;
            } else {
                current = new byte[0];
                exhausted = true;
            }
            pos = 0;
        }

        private boolean fill() {
            while (pos >= current.length) {
                if (exhausted) {
                    return false;
                }
                fetch();
            }
            return true;
        }

        @Override
        public int read() {
            return fill() ? current[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            current = new byte[0];
            exhausted = true;
        }
    }
}
