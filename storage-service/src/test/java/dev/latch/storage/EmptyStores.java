package dev.latch.storage;

import dev.latch.common.testing.S3ProxyResource;
import dev.latch.common.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Empties every backend and the records about them, so a test can expect exact consistency figures: the
 * earlier tests' leftovers and the data directory of earlier runs (whose database was cleaned at start) go.
 */
public final class EmptyStores {

    public static final String DATABASE = "latch_storage_test";

    private EmptyStores() {}

    public static void empty(Path localRoot) throws IOException {
        S3ProxyResource.startServer();
        for (String table : List.of("attachments", "pending_deletions", "direct_uploads", "blob_chunks")) {
            TestDatabase.update(DATABASE, "DELETE FROM " + table);
        }
        if (Files.isDirectory(localRoot)) {
            try (Stream<Path> files = Files.walk(localRoot)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(localRoot)) {
                        Files.delete(p);
                    }
                }
            }
        }
        for (String prefix : List.of("attachments/", "uploads/")) {
            S3ProxyResource.keys(prefix).forEach(S3ProxyResource::deleteObject);
        }
    }
}
