package dev.latch.storage.backend;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The statements on {@code blob_chunks}, plain JDBC so a blob streams through one row at a time: a read uses a
 * short-lived connection per call (a slow client holds none), a write is a {@link Writer}, one local transaction.
 * Not for use inside a JTA transaction.
 */
@ApplicationScoped
public class BlobChunkRepository {

    /** Where a row starts: its number in the blob and the blob offset of its first byte. */
    record ChunkStart(int seq, long startOffset) {}

    private final DataSource dataSource;

    public BlobChunkRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The last row starting at or before {@code offset}; empty when the blob has no rows. */
    Optional<ChunkStart> chunkAt(String reference, long offset) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT seq, start_offset FROM blob_chunks"
                        + " WHERE reference = ? AND start_offset <= ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, reference);
            ps.setLong(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ChunkStart(rs.getInt(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }

    /** The bytes of row {@code seq}, {@code null} past the last row. */
    byte[] chunk(String reference, int seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT data FROM blob_chunks WHERE reference = ? AND seq = ?")) {
            ps.setString(1, reference);
            ps.setInt(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /** The blob's size in bytes, -1 when it has no rows. */
    long size(String reference) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*), coalesce(sum(octet_length(data)), 0) FROM blob_chunks WHERE reference = ?")) {
            ps.setString(1, reference);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0 ? -1 : rs.getLong(2);
            }
        }
    }

    void delete(String reference) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM blob_chunks WHERE reference = ?")) {
            ps.setString(1, reference);
            ps.executeUpdate();
        }
    }

    boolean reachable() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(3);
        }
    }

    /** Starts a write: one transaction on its own connection. */
    Writer writer() throws SQLException {
        return new Writer(dataSource.getConnection());
    }

    /** One local transaction on {@code blob_chunks}; closing it without {@link #commit()} rolls it back. */
    static final class Writer implements AutoCloseable {

        private final Connection connection;
        private PreparedStatement insert;
        private boolean committed;

        private Writer(Connection connection) throws SQLException {
            this.connection = connection;
            try {
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }

        void deleteAll(String reference) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM blob_chunks WHERE reference = ?")) {
                ps.setString(1, reference);
                ps.executeUpdate();
            }
        }

        void insert(String reference, int seq, long startOffset, byte[] buffer, int length) throws SQLException {
            if (insert == null) {
                insert = connection.prepareStatement(
                        "INSERT INTO blob_chunks (reference, seq, start_offset, data) VALUES (?, ?, ?, ?)");
            }
            insert.setString(1, reference);
            insert.setInt(2, seq);
            insert.setLong(3, startOffset);
            insert.setBinaryStream(4, new ByteArrayInputStream(buffer, 0, length), length);
            insert.executeUpdate();
        }

        void commit() throws SQLException {
            connection.commit();
            committed = true;
        }

        @Override
        public void close() throws SQLException {
            try (connection) {
                if (insert != null) {
                    insert.close();
                }
                if (!committed) {
                    connection.rollback();
                }
            }
        }
    }
}
