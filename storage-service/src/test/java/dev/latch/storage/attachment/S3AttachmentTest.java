package dev.latch.storage.attachment;

import dev.latch.storage.backend.S3Clients;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@QuarkusTest
class S3AttachmentTest extends AttachmentSuite {

    @Inject
    S3Clients s3;

    @Override
    String backend() {
        return "S3";
    }

    @Override
    long blobCount() {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix("attachments/")).contents().stream()
                .count();
    }

    @Override
    boolean blobExists(String reference) {
        try {
            s3.client().headObject(b -> b.bucket(s3.bucket()).key(reference));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
