package dev.latch.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.HostileInput;
import dev.latch.common.testing.RowCounts;
import dev.latch.common.testing.S3ProxyResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input on every operation of storage-service's OpenAPI document (see {@link HostileInput}), as a
 * user, an ADMIN and a PAT, on real attachments in the in-process S3: a 4xx problem+json or a documented
 * success every time, never a 5xx or an internal detail, and no row written by a refused request.
 */
@QuarkusTest
class HostileInputTest {

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.saving().withS3Secret(S3ProxyResource.SECRET_KEY);

    private static final Logger LOG = Logger.getLogger(HostileInputTest.class);

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyOperationRefusesHostileInputWithAProblemAndWritesNothing() throws Exception {
        Api.User owner = Api.newUser();
        String pat = AuthServerStub.pat(owner.id(), owner.username(), "USER", "");
        String kept = Api.uploadRaw(owner.token(), "kept.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("uid");
        String deleted = Api.uploadRaw(owner.token(), "deleted.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("uid");
        Map<String, Object> current = Api.settings();
        // the settings as they were, S3 credentials included: what every probe of PUT …/settings starts from (the
        // restorer puts them back after the test)
        Map<String, Object> sane = new HashMap<>(current);
        sane.remove("pinned");
        @SuppressWarnings("unchecked")
        Map<String, Object> s3 = new HashMap<>((Map<String, Object>) current.get("s3"));
        s3.remove("secretAccessKeySet");
        s3.put("secretAccessKey", S3ProxyResource.SECRET_KEY);
        sane.put("s3", s3);
        try (RowCounts rows = new RowCounts("latch_storage_test", Set.of())) {
            HostileInput probe = HostileInput.against("storage-service", base)
                    .context("user", "Authorization: Bearer " + owner.token())
                    .context("admin", "Authorization: Bearer " + Api.admin())
                    .context("pat", "Authorization: Bearer " + pat)
                    .value("uid", kept)
                    .value("/api/v1/attachments/{uid}", "uid", deleted)
                    .value("filename", "kept.png")
                    .value("from", "LOCAL")
                    .value("to", "LOCAL")
                    .rowCounts(rows)
                    .log(LOG::info);
            sane.forEach(probe::value);
            HostileInput.Report report = probe.run();
            LOG.info(report);
            assertTrue(report.findings().isEmpty(), report.toString());
        }
    }
}
