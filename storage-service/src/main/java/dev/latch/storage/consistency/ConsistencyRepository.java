package dev.latch.storage.consistency;

import dev.latch.storage.backend.S3Backend;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.backend.StoredBlob;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The queries of the consistency check. Listed blobs are looked up one page at a time by the uid their
 * reference is derived from ({@code attachments/{uid}} on S3, {@code {uid}/{filename}} on LOCAL, the uid on
 * DATABASE: every record the service writes follows this), so each page costs a few indexed queries.
 */
@ApplicationScoped
public class ConsistencyRepository {

    private final DataSource dataSource;

    public ConsistencyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records on a backend created up to {@code cutoff}, and those of them whose blob is missing. */
    record DatabaseCounts(long records, long recordsWithoutBlob, long blobsWithoutRecord) {}

    /** What one page of listed blobs held: blobs of records counted by the check, and blobs nothing accounts for. */
    record PageCounts(long matchedRecords, long unaccounted) {}

    long records(StorageType type, Instant cutoff) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM attachments WHERE storage_type = ? AND created_at <= ?")) {
            ps.setString(1, type.name());
            ps.setTimestamp(2, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("consistency: counting records failed", e);
        }
    }

    /** Whether anything (a record, a pending deletion, a direct upload) refers to a blob on this backend. */
    boolean refersTo(StorageType type) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT EXISTS (SELECT 1 FROM attachments WHERE storage_type = ?)"
                                + " OR EXISTS (SELECT 1 FROM pending_deletions WHERE storage_type = ?)"
                                + " OR EXISTS (SELECT 1 FROM direct_uploads WHERE storage_type = ?)")) {
            for (int i = 1; i <= 3; i++) {
                ps.setString(i, type.name());
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("consistency: looking for references failed", e);
        }
    }

    /**
     * The DATABASE backend in three statements of one snapshot: its blobs are rows of {@code blob_chunks}
     * (every blob has a row {@code seq = 0}), so PostgreSQL answers with anti-joins on the primary keys.
     */
    DatabaseCounts database(Instant cutoff) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long records;
                long withoutBlob;
                long withoutRecord;
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE NOT EXISTS"
                        + " (SELECT 1 FROM blob_chunks b WHERE b.reference = a.reference AND b.seq = 0))"
                        + " FROM attachments a WHERE a.storage_type = 'DATABASE' AND a.created_at <= ?")) {
                    ps.setTimestamp(1, Timestamp.from(cutoff));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        records = rs.getLong(1);
                        withoutBlob = rs.getLong(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM blob_chunks b WHERE b.seq = 0"
                                + " AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.uid = b.reference"
                                + "   AND a.storage_type = 'DATABASE' AND a.reference = b.reference)"
                                + " AND NOT EXISTS (SELECT 1 FROM pending_deletions p WHERE p.storage_type = 'DATABASE'"
                                + "   AND p.reference = b.reference)"
                                + " AND NOT EXISTS (SELECT 1 FROM direct_uploads d WHERE d.uid = b.reference"
                                + "   AND d.storage_type = 'DATABASE' AND d.reference = b.reference)");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    withoutRecord = rs.getLong(1);
                }
                return new DatabaseCounts(records, withoutBlob, withoutRecord);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("consistency: checking DATABASE failed", e);
        }
    }

    /**
     * Looks one page of blobs listed on {@code type} (S3 or LOCAL) up. A blob is a record's when an attachment
     * on this backend has its reference; it counts toward {@code matchedRecords} when that record was created
     * up to {@code cutoff}. A blob no record has is accounted for by a pending deletion of it, by a direct
     * upload still under way (its upload key, or on S3 the copy its completion makes), or by being written
     * after {@code cutoff}; otherwise it is {@code unaccounted}.
     */
    PageCounts page(StorageType type, List<StoredBlob> blobs, Instant cutoff) {
        if (blobs.isEmpty()) {
            return new PageCounts(0, 0);
        }
        Set<String> uids = new HashSet<>();
        Set<String> uploadIds = new HashSet<>();
        Set<String> references = new HashSet<>();
        for (StoredBlob b : blobs) {
            references.add(b.reference());
            String uid = uidOf(type, b.reference());
            if (uid != null) {
                uids.add(uid);
            } else if (type == StorageType.S3 && b.reference().startsWith(S3Backend.UPLOAD_PREFIX)) {
                uploadIds.add(b.reference().substring(S3Backend.UPLOAD_PREFIX.length()));
            }
        }
        Map<String, Instant> recorded = new HashMap<>();
        Set<String> accounted = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            Array uidArray = c.createArrayOf("text", uids.toArray());
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT reference, created_at FROM attachments WHERE storage_type = ? AND uid = ANY(?)")) {
                ps.setString(1, type.name());
                ps.setArray(2, uidArray);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        recorded.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT reference FROM pending_deletions WHERE storage_type = ? AND reference = ANY(?)")) {
                ps.setString(1, type.name());
                ps.setArray(2, c.createArrayOf("text", references.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        accounted.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT uid, reference FROM direct_uploads"
                    + " WHERE storage_type = ? AND (uid = ANY(?) OR id = ANY(?))")) {
                ps.setString(1, type.name());
                ps.setArray(2, uidArray);
                ps.setArray(3, c.createArrayOf("text", uploadIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        accounted.add(rs.getString(2));
                        if (type == StorageType.S3) {
                            accounted.add(S3Backend.key(rs.getString(1)));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("consistency: looking up listed blobs failed", e);
        }
        long matched = 0;
        long unaccounted = 0;
        for (StoredBlob b : blobs) {
            Instant createdAt = recorded.get(b.reference());
            if (createdAt != null) {
                if (!createdAt.isAfter(cutoff)) {
                    matched++;
                }
            } else if (!accounted.contains(b.reference())
                    && (b.modifiedAt() == null || !b.modifiedAt().isAfter(cutoff))) {
                unaccounted++;
            }
        }
        return new PageCounts(matched, unaccounted);
    }

    /** The uid a reference of this backend is derived from, or null when it is none of an attachment's. */
    static String uidOf(StorageType type, String reference) {
        return switch (type) {
            case S3 ->
                reference.startsWith(S3Backend.PREFIX) && reference.length() > S3Backend.PREFIX.length()
                        ? reference.substring(S3Backend.PREFIX.length())
                        : null;
            case LOCAL -> {
                int slash = reference.indexOf('/');
                yield slash > 0 ? reference.substring(0, slash) : null;
            }
            default -> reference;
        };
    }
}
