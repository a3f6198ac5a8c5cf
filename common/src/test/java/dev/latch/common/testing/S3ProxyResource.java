package dev.latch.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3-compatible server (S3Proxy, in-process, in-memory blobs) that checks AWS V4 signatures,
 * so a presigned URL with a changed signature or an expired one is really refused (403).
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = "latch-test-access";
    public static final String SECRET_KEY = "latch-test-secret-0123456789";
    public static final String BUCKET = "latch-test";
    public static final String REGION = "us-east-1";

    private static volatile URI endpoint;
    private S3Proxy s3Proxy;

    @Override
    public Map<String, String> start() {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        BlobStore blobStore = BlobStores.create("transient", properties);
        blobStore.createContainer(BUCKET);
        s3Proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        try {
            s3Proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(s3Proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy did not start: " + s3Proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        endpoint = URI.create("http://127.0.0.1:" + s3Proxy.getPort());
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

    @Override
    public void stop() {
        if (s3Proxy != null) {
            try {
                s3Proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not stop", e);
            }
        }
    }
}
