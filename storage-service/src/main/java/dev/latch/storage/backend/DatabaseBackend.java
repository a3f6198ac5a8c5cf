package dev.latch.storage.backend;

import dev.latch.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Blobs in PostgreSQL, as rows of {@code latch.storage.database-chunk-size} bytes in {@code blob_chunks}.
 * A write is one local transaction (so a refused or failed upload leaves no row); a read fetches one
 * row at a time with a short-lived connection, so memory stays at one chunk and a slow client holds no
 * connection or transaction. The backend manages its own JDBC transactions and must not be called
 * inside a JTA transaction.
 */
@ApplicationScoped
public class DatabaseBackend implements StorageBackend {

    private final DataSource dataSource;
    private final int chunkSize;

    public DatabaseBackend(DataSource dataSource, StorageConfig config) {
        this.dataSource = dataSource;
        this.chunkSize = Math.max(16 * 1024, config.databaseChunkSize());
    }

    @Override
    public StorageType type() {
        return StorageType.DATABASE;
    }

    @Override
    public String write(String uid, String filename, String contentType, InputStream content) {
        String reference = uid;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM blob_chunks WHERE reference = ?")) {
                    del.setString(1, reference);
                    del.executeUpdate();
                }
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO blob_chunks (reference, seq, start_offset, data) VALUES (?, ?, ?, ?)")) {
                    byte[] buffer = new byte[chunkSize];
                    int seq = 0;
                    long offset = 0;
                    while (true) {
                        int n = content.readNBytes(buffer, 0, chunkSize);
                        if (n == 0 && seq > 0) {
                            break;
                        }
                        // an empty blob still has one (empty) row, so its existence is visible
                        ins.setString(1, reference);
                        ins.setInt(2, seq++);
                        ins.setLong(3, offset);
                        ins.setBinaryStream(4, new ByteArrayInputStream(buffer, 0, n), n);
                        ins.executeUpdate();
                        offset += n;
                        if (n < chunkSize) {
                            break;
                        }
                    }
                }
                c.commit();
                return reference;
            } catch (RuntimeException | IOException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DATABASE write failed", e);
        } catch (SQLException e) {
            throw new IllegalStateException("DATABASE write failed", e);
        }
    }

    @Override
    public InputStream open(String reference, long offset, long length) {
        int first;
        long firstStart;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT seq, start_offset FROM blob_chunks"
                        + " WHERE reference = ? AND start_offset <= ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, reference);
            ps.setLong(2, Math.max(0, offset));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new BlobMissingException();
                }
                first = rs.getInt(1);
                firstStart = rs.getLong(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DATABASE read failed", e);
        }
        InputStream in = new ChunkStream(reference, first, (int) (offset - firstStart));
        return StorageBackend.limit(in, length);
    }

    @Override
    public long size(String reference) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*), coalesce(sum(octet_length(data)), 0) FROM blob_chunks WHERE reference = ?")) {
            ps.setString(1, reference);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0 ? -1 : rs.getLong(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DATABASE size failed", e);
        }
    }

    @Override
    public void delete(String reference) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM blob_chunks WHERE reference = ?")) {
            ps.setString(1, reference);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageUnavailableException("DATABASE delete failed: " + e.getSQLState());
        }
    }

    @Override
    public void check() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(3)) {
                throw new SQLException("connection not valid");
            }
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
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("SELECT data FROM blob_chunks WHERE reference = ? AND seq = ?")) {
                ps.setString(1, reference);
                ps.setInt(2, nextSeq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        current = rs.getBytes(1);
                        nextSeq++;
                    } else {
                        current = new byte[0];
                        exhausted = true;
                    }
                    pos = 0;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("DATABASE read failed", e);
            }
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
