package dev.latch.storage.backend;

import dev.latch.storage.config.StorageConfig;
import dev.latch.storage.settings.SettingsService;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * Objects in any S3-compatible store, key {@code attachments/{uid}} (a direct upload first lands at
 * {@code uploads/{id}} and is copied there on completion). Uploads of unknown length stream through one
 * part buffer: a blob smaller than a part is one PUT, a larger one a multipart upload whose parts are all
 * the same size except the last (Cloudflare R2 requires equal parts), aborted on any failure so no parts
 * linger.
 */
@ApplicationScoped
public class S3Backend implements StorageBackend {

    public static final String PREFIX = "attachments/";
    public static final String UPLOAD_PREFIX = "uploads/";
    private static final Logger LOG = Logger.getLogger(S3Backend.class);
    private static final int MIN_PART = 5 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;

    private final S3Clients s3;
    private final SettingsService settings;
    private final int configuredPartSize;

    public S3Backend(S3Clients s3, SettingsService settings, StorageConfig config) {
        this.s3 = s3;
        this.settings = settings;
        this.configuredPartSize = Math.max(MIN_PART, config.s3PartSize());
    }

    @Override
    public StorageType type() {
        return StorageType.S3;
    }

    public static String key(String uid) {
        return PREFIX + uid;
    }

    /**
     * Where the presigned PUT of a direct upload writes: never an attachment's key. Completion copies the
     * object to {@link #key(String)} and verifies the copy, so nothing the URL can still write reaches an
     * attachment.
     */
    public static String uploadKey(String uploadId) {
        return UPLOAD_PREFIX + uploadId;
    }

    /** Large enough that the largest allowed upload fits in 10,000 parts; whole MiB. */
    int partSize() {
        long needed = (settings.current().maxUploadBytes() + MAX_PARTS - 1) / MAX_PARTS;
        long size = Math.max(configuredPartSize, needed);
        size = (size + (1 << 20) - 1) >> 20 << 20;
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }

    @Override
    public String write(String uid, String filename, String contentType, InputStream content) {
        String key = key(uid);
        String bucket = s3.bucket();
        S3Client client = s3.client();
        int partSize = partSize();
        byte[] buffer = new byte[partSize];
        int n = read(content, buffer);
        if (n < partSize) {
            store(
                    "PUT",
                    () -> client.putObject(
                            b -> b.bucket(bucket)
                                    .key(key)
                                    .contentType(contentType)
                                    .contentLength((long) n),
                            body(buffer, n, contentType)));
            return key;
        }
        String uploadId = store(
                "CreateMultipartUpload",
                () -> client.createMultipartUpload(
                                b -> b.bucket(bucket).key(key).contentType(contentType))
                        .uploadId());
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int len = n;
            while (len > 0) {
                int partNumber = parts.size() + 1;
                if (partNumber > MAX_PARTS) {
                    throw new IllegalStateException("upload exceeds " + MAX_PARTS + " parts");
                }
                int size = len;
                String etag = store(
                        "UploadPart",
                        () -> client.uploadPart(
                                        b -> b.bucket(bucket)
                                                .key(key)
                                                .uploadId(uploadId)
                                                .partNumber(partNumber)
                                                .contentLength((long) size),
                                        body(buffer, size, contentType))
                                .eTag());
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(etag)
                        .build());
                if (len < partSize) {
                    break;
                }
                len = read(content, buffer);
            }
            store(
                    "CompleteMultipartUpload",
                    () -> client.completeMultipartUpload(
                            b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts))));
            return key;
        } catch (RuntimeException e) {
            abort(client, bucket, key, uploadId);
            throw e;
        }
    }

    /**
     * One call to the store; a failure to reach it is a {@link StorageUnavailableException}. Besides
     * {@code SdkException}, the URL-connection HTTP client reports some transport failures (a pooled connection
     * the store closed when it stopped) as {@code UncheckedIOException}.
     */
    private static <T> T store(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException | UncheckedIOException e) {
            throw unavailable(operation, e);
        }
    }

    /** The first {@code length} bytes of the part buffer, without the copy {@code RequestBody.fromBytes} makes. */
    private static RequestBody body(byte[] buffer, int length, String contentType) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, contentType);
    }

    private static int read(InputStream in, byte[] buffer) {
        try {
            return in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void abort(S3Client client, String bucket, String key, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException | UncheckedIOException e) {
            // the bucket's lifecycle rule for incomplete multipart uploads is the backstop (see README)
            LOG.warnf("could not abort multipart upload of %s: %s", key, e.getMessage());
        }
    }

    @Override
    public InputStream open(String reference, long offset, long length) {
        String range = offset <= 0 && length < 0
                ? null
                : "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1));
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.client()
                    .getObject(b -> b.bucket(s3.bucket()).key(reference).range(range));
        } catch (NoSuchKeyException e) {
            throw new BlobMissingException();
        } catch (SdkException | UncheckedIOException e) {
            throw unavailable("GET", e);
        }
    }

    @Override
    public long size(String reference) {
        try {
            return s3.client()
                    .headObject(b -> b.bucket(s3.bucket()).key(reference))
                    .contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw unavailable("HEAD", e);
        } catch (SdkException | UncheckedIOException e) {
            throw unavailable("HEAD", e);
        }
    }

    @Override
    public void delete(String reference) {
        String bucket = s3.bucket();
        store("DELETE", () -> s3.client().deleteObject(b -> b.bucket(bucket).key(reference)));
    }

    /**
     * Hands the keys under {@code prefix} to {@code page}, one page of at most {@code pageSize} at a time
     * (ListObjectsV2, following continuation tokens), so memory holds one page whatever the bucket holds.
     *
     * @throws StorageUnavailableException when the store cannot be reached or refuses the listing
     */
    public void list(String prefix, int pageSize, Consumer<List<StoredBlob>> page) {
        String bucket = s3.bucket();
        S3Client client = s3.client();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response response = store(
                    "ListObjectsV2",
                    () -> client.listObjectsV2(b ->
                            b.bucket(bucket).prefix(prefix).maxKeys(pageSize).continuationToken(continuation)));
            page.accept(response.contents().stream()
                    .map(o -> new StoredBlob(o.key(), o.lastModified()))
                    .toList());
            token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
        } while (token != null);
    }

    @Override
    public void check() {
        String bucket = s3.bucket();
        s3.client().headBucket(b -> b.bucket(bucket));
    }

    /** A presigned GET that makes the store answer with the given type and disposition. */
    public SignedUrl presignGet(String reference, Duration ttl, String contentType, String contentDisposition) {
        PresignedGetObjectRequest p = s3.presigner()
                .presignGetObject(r -> r.signatureDuration(ttl)
                        .getObjectRequest(g -> g.bucket(s3.bucket())
                                .key(reference)
                                .responseContentType(contentType)
                                .responseContentDisposition(contentDisposition)));
        return new SignedUrl(p.url().toString(), p.expiration(), Map.of());
    }

    /**
     * A presigned PUT of exactly {@code contentLength} bytes, and when {@code sha256Hex} is given of exactly
     * that content: {@code Content-Length} and {@code x-amz-checksum-sha256} are signed headers, so the
     * store refuses any other length (signature mismatch) and any other content (checksum mismatch). The
     * client must send the returned headers; {@code Content-Length} is not among them, since HTTP clients
     * set it themselves from the body (and browsers and {@code java.net.http} refuse to set it by hand).
     */
    public SignedUrl presignPut(
            String reference, Duration ttl, String contentType, long contentLength, String sha256Hex) {
        String checksum = sha256Hex == null
                ? null
                : Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
        PresignedPutObjectRequest p = s3.presigner()
                .presignPutObject(r -> r.signatureDuration(ttl)
                        .putObjectRequest(o -> o.bucket(s3.bucket())
                                .key(reference)
                                .contentType(contentType)
                                .contentLength(contentLength)
                                .checksumSHA256(checksum)));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        p.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
                headers.put(canonicalName(name), String.join(",", values));
            }
        });
        headers.putIfAbsent("Content-Type", contentType);
        return new SignedUrl(p.url().toString(), p.expiration(), Map.copyOf(headers));
    }

    /** {@code content-type} → {@code Content-Type}; {@code x-amz-…} names stay lower case, as S3 documents them. */
    private static String canonicalName(String name) {
        if (name.toLowerCase(Locale.ROOT).startsWith("x-amz-")) {
            return name.toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return sb.toString();
    }

    /**
     * Copies an object inside the bucket on the store itself (CopyObject, no bytes through this service),
     * replacing its metadata with {@code contentType}.
     *
     * @throws BlobMissingException when the source does not exist
     */
    public void copy(String sourceKey, String targetKey, String contentType) {
        String bucket = s3.bucket();
        try {
            s3.client()
                    .copyObject(b -> b.sourceBucket(bucket)
                            .sourceKey(sourceKey)
                            .destinationBucket(bucket)
                            .destinationKey(targetKey)
                            .metadataDirective(MetadataDirective.REPLACE)
                            .contentType(contentType));
        } catch (NoSuchKeyException e) {
            throw new BlobMissingException();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new BlobMissingException();
            }
            throw unavailable("CopyObject", e);
        } catch (SdkException | UncheckedIOException e) {
            throw unavailable("CopyObject", e);
        }
    }

    private static StorageUnavailableException unavailable(String operation, RuntimeException e) {
        LOG.warnf("S3 %s failed: %s", operation, e.getMessage());
        return new StorageUnavailableException("S3 " + operation + " failed");
    }

    /** A URL signed for a limited time, and the headers a client must send with it. */
    public record SignedUrl(String url, Instant expiresAt, Map<String, String> headers) {}
}
