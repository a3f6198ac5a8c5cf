package dev.latch.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

@ConfigMapping(prefix = "latch.storage")
public interface StorageConfig {

    /** Where new attachments go; existing ones stay on the backend they were written to. */
    @WithDefault("LOCAL")
    StorageType defaultBackend();

    /** Root of the LOCAL backend: files live at {@code {data-dir}/attachments/{uid}/{filename}}. */
    @WithDefault("data")
    Path dataDir();

    S3 s3();

    interface S3 {
        /** Leave empty for AWS; set for MinIO, R2, B2, Spaces, Wasabi… */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        @WithDefault("false")
        boolean pathStyle();

        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();
    }

    enum StorageType {
        DATABASE, LOCAL, S3, EXTERNAL
    }
}
