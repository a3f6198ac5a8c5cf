package dev.latch.storage.attachment;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;

@QuarkusTest
class DatabaseAttachmentTest extends AttachmentSuite {

    @Inject
    DataSource dataSource;

    @Override
    String backend() {
        return "DATABASE";
    }

    @Override
    long blobCount() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT reference) FROM blob_chunks");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    boolean blobExists(String reference) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM blob_chunks WHERE reference = ?")) {
            ps.setString(1, reference);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
