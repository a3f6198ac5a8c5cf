package dev.latch.storage.attachment;

import dev.latch.storage.backend.LocalBackend;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

@QuarkusTest
class LocalAttachmentTest extends AttachmentSuite {

    @Inject
    LocalBackend local;

    @Override
    String backend() {
        return "LOCAL";
    }

    @Override
    long blobCount() throws Exception {
        Path root = local.root();
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(root.resolve(".tmp")))
                    .count();
        }
    }

    @Override
    boolean blobExists(String reference) {
        return Files.isRegularFile(local.resolve(reference));
    }
}
