package dev.latch.common.testing;

import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-compatible server (S3Proxy, in-process, in-memory blobs) that checks AWS V4 signatures,
 * so a presigned URL with a changed signature or an expired one is really refused (403).
 * <p>
 * Outage tests stop it with {@link #stopServer()} (the port is closed and requests in flight are cut,
 * as when the store goes away) and bring it back with {@link #startServer()} on the same port with the
 * same blobs: the in-memory blob store outlives the HTTP server.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = "latch-test-access";
    public static final String SECRET_KEY = "latch-test-secret-0123456789";
    public static final String BUCKET = "latch-test";
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private static volatile URI endpoint;
    private static BlobStore blobStore;
    private static S3Proxy s3Proxy;

    @Override
    public Map<String, String> start() {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        synchronized (S3ProxyResource.class) {
            blobStore = BlobStores.create("transient", properties);
            blobStore.createContainer(BUCKET);
            s3Proxy = serve(URI.create("http://127.0.0.1:0"));
            endpoint = URI.create("http://127.0.0.1:" + s3Proxy.getPort());
        }
        return Map.of(
                "latch.test.s3.endpoint", endpoint.toString(),
                "latch.test.s3.access-key-id", ACCESS_KEY,
                "latch.test.s3.secret-access-key", SECRET_KEY,
                "latch.test.s3.bucket", BUCKET,
                "latch.test.s3.region", REGION);
    }

    /** The running server's base URL, for tests that talk to it directly. */
    public static URI endpoint() {
        return endpoint;
    }

    /**
     * Stops the HTTP server at once (no grace for requests in flight) and closes its port; the blobs stay.
     * Pair with {@link #startServer()} in a {@code finally}: the other tests of the run share this server.
     */
    public static void stopServer() {
        synchronized (S3ProxyResource.class) {
            if (s3Proxy == null) {
                return;
            }
            try {
                s3Proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not stop", e);
            }
            s3Proxy = null;
        }
    }

    /** Starts the server again on the same port with the same blobs; nothing happens when it is running. */
    public static void startServer() {
        synchronized (S3ProxyResource.class) {
            if (s3Proxy == null && blobStore != null) {
                s3Proxy = serve(endpoint);
            }
        }
    }

    public static boolean isServerRunning() {
        synchronized (S3ProxyResource.class) {
            return s3Proxy != null;
        }
    }

    /** Whether the bucket holds this object, read from the blob store itself (also while the server is stopped). */
    public static boolean objectExists(String key) {
        return store().blobExists(BUCKET, key);
    }

    /** Writes an object behind the back of every client (also while the server is stopped). */
    public static void putObject(String key, byte[] content) {
        store().putBlob(
                        PutObjectRequest.builder()
                                .bucket(BUCKET)
                                .key(key)
                                .contentLength((long) content.length)
                                .build(),
                        new ByteArrayInputStream(content));
    }

    /** Removes an object behind the back of every client. */
    public static void deleteObject(String key) {
        store().removeBlob(BUCKET, key);
    }

    /** Every key under {@code prefix}, read from the blob store itself. */
    public static List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = store().list(ListObjectsV2Request.builder()
                    .bucket(BUCKET)
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
            page.contents().stream().map(S3Object::key).forEach(keys::add);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    private static BlobStore store() {
        synchronized (S3ProxyResource.class) {
            if (blobStore == null) {
                throw new IllegalStateException("S3ProxyResource has not been started");
            }
            return blobStore;
        }
    }

    private static S3Proxy serve(URI on) {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(on)
                // a stop cuts requests in flight, as a store that goes away does
                .stopTimeout(0)
                .build();
        try {
            proxy.start();
            await("S3Proxy started")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> "STARTED".equals(proxy.getState()));
        } catch (Exception e) {
            try {
                proxy.stop();
            } catch (Exception ignored) {
                // it did not start
            }
            throw new IllegalStateException("S3Proxy did not start on " + on, e);
        }
        return proxy;
    }

    @Override
    public void stop() {
        stopServer();
    }
}
