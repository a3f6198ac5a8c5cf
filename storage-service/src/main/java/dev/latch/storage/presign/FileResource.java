package dev.latch.storage.presign;

import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.storage.attachment.Attachment;
import dev.latch.storage.attachment.AttachmentService;
import dev.latch.storage.attachment.ContentTypes;
import dev.latch.storage.backend.Backends;
import dev.latch.storage.backend.S3Backend;
import dev.latch.storage.backend.StorageBackend;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.settings.SettingsService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The bytes behind signed URLs. No bearer token here: the HMAC signature over uid, filename and expiry
 * is the authorisation, checked in constant time on every request (403 when altered or expired).
 * Responses are immutable per uid: ETag is the SHA-256, Range is honoured, and every answer carries
 * {@code nosniff} and a disposition that makes browsers download anything they could execute.
 */
@Path("/file")
public class FileResource {

    /**
     * One byte range (RFC 9110 §14.1.2): the unit is case-insensitive, whitespace may surround the range,
     * and positions are any number of digits (values beyond {@code Long.MAX_VALUE} are clamped, never parsed
     * as a long). Anything else — several ranges, other units, signs, junk — does not match and is ignored.
     */
    private static final Pattern RANGE = Pattern.compile("(?i)bytes[ \\t]*=[ \\t]*([0-9]*)-([0-9]*)[ \\t]*");

    private final AttachmentService attachments;
    private final Backends backends;
    private final SettingsService settings;
    private final UrlSigner signer;
    private final AttachmentUrls urls;
    private final DirectUploadService uploads;

    public FileResource(
            AttachmentService attachments,
            Backends backends,
            SettingsService settings,
            UrlSigner signer,
            AttachmentUrls urls,
            DirectUploadService uploads) {
        this.attachments = attachments;
        this.backends = backends;
        this.settings = settings;
        this.signer = signer;
        this.urls = urls;
        this.uploads = uploads;
    }

    @GET
    @Path("attachments/{uid}/{filename}")
    @Operation(summary = "The bytes behind a signed URL (exp, sig): Range and ETag on DATABASE/LOCAL, a redirect on S3")
    @APIResponse(
            responseCode = "200",
            description = "The file, with nosniff and a safe Content-Disposition",
            content =
                    @Content(
                            mediaType = MediaType.WILDCARD,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "206",
            description = "The requested byte range",
            headers = @Header(name = "Content-Range", description = "bytes start-end/size"),
            content =
                    @Content(
                            mediaType = MediaType.WILDCARD,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "302",
            description = "To the presigned store URL (S3 with PRESIGNED delivery) or the external link",
            headers = @Header(name = "Location", description = "The presigned or external URL"))
    @APIResponse(responseCode = "304", description = "If-None-Match matched the ETag")
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "416", ref = ProblemResponses.RANGE_NOT_SATISFIABLE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response download(
            @PathParam("uid") String uid,
            @PathParam("filename") String filename,
            @QueryParam("exp") String exp,
            @QueryParam("sig") String sig,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        signer.verifyDownload(uid, filename, exp, sig);
        Attachment a = attachments
                .findAny(uid)
                .filter(x -> x.filename.equals(filename))
                .orElseThrow(() -> ProblemException.notFound("No such file."));
        long remaining = Math.max(1, Long.parseLong(exp) - Instant.now().getEpochSecond());
        if (a.storageType == StorageType.EXTERNAL) {
            return Response.status(302).location(URI.create(a.reference)).build();
        }
        if (a.storageType == StorageType.S3 && settings.current().delivery() == Delivery.PRESIGNED) {
            int ttl = (int) Math.min(settings.current().urlTtlSeconds(), remaining);
            S3Backend.SignedUrl presigned = urls.presignedGet(a, ttl);
            return Response.status(302)
                    .location(URI.create(presigned.url()))
                    .header("Cache-Control", "no-store")
                    .build();
        }

        String etag = "\"" + a.sha256 + "\"";
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return Response.notModified()
                    .tag(a.sha256)
                    .header("Cache-Control", "private, max-age=" + remaining)
                    .header("X-Content-Type-Options", "nosniff")
                    .build();
        }
        long start = 0;
        long length = a.size;
        boolean partial = false;
        if (range != null && (ifRange == null || ifRange.trim().equals(etag))) {
            long[] r = parseRange(range.trim(), a.size);
            if (r != null) {
                start = r[0];
                length = r[1] - r[0] + 1;
                partial = true;
            }
        }
        StorageBackend backend = backends.get(a.storageType);
        InputStream in = length == 0 ? InputStream.nullInputStream() : backend.open(a.reference, start, length);
        long count = length;
        StreamingOutput body = out -> {
            try (InputStream src = in) {
                long copied = src.transferTo(out);
                if (copied != count) {
                    throw new java.io.IOException("blob shorter than its record: " + copied + " of " + count);
                }
            }
        };
        Response.ResponseBuilder response = Response.status(partial ? 206 : 200)
                .entity(body)
                .type(a.contentType)
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.ETAG, etag)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", ContentDisposition.of(ContentTypes.inline(a.contentType), a.filename))
                .header("Cache-Control", "private, max-age=" + remaining);
        if (!"application/pdf".equals(a.contentType)) {
            // nothing served here may run scripts or load anything, even if a browser renders it
            response.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
        }
        if (partial) {
            response.header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + a.size);
        }
        return response.build();
    }

    /**
     * One range {@code start-end}, {@code start-} or {@code -suffix}: {start, end} clipped to the blob;
     * null to ignore the header (malformed, {@code end < start}, or several ranges: the whole file is sent
     * with 200, RFC 9110 §14.2); 416 when no byte is in range. Positions too large for a long count as
     * {@code Long.MAX_VALUE}: a first position beyond the file is 416, a last position longer than the file
     * selects up to the end, a suffix longer than the file the whole file (RFC 9110 §14.1.3) — and a suffix
     * too large for a long makes the header ignored (200), never a 500.
     */
    static long[] parseRange(String header, long size) {
        Matcher m = RANGE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        long start;
        long end;
        if (m.group(1).isEmpty()) {
            long suffix = position(m.group(2));
            if (suffix == Long.MAX_VALUE) {
                // a suffix no long can hold is not a length any client meant: ignore the header (200)
                return null;
            }
            if (suffix == 0 || size == 0) {
                throw unsatisfiable(size);
            }
            start = suffix >= size ? 0 : size - suffix;
            end = size - 1;
        } else {
            start = position(m.group(1));
            end = m.group(2).isEmpty() ? Long.MAX_VALUE : position(m.group(2));
            if (end < start) {
                return null;
            }
            if (start >= size) {
                throw unsatisfiable(size);
            }
            end = Math.min(end, size - 1);
        }
        return new long[] {start, end};
    }

    /** A run of decimal digits as a non-negative long, saturating at {@code Long.MAX_VALUE} instead of overflowing. */
    static long position(String digits) {
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                return Long.MAX_VALUE;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static ProblemException unsatisfiable(long size) {
        return new ProblemException(
                416,
                "Range Not Satisfiable",
                "The requested range is outside the file.",
                "about:blank",
                Map.of("Content-Range", "bytes */" + size));
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** The signed PUT of a direct upload on DATABASE or LOCAL. */
    @PUT
    @Path("uploads/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "The signed PUT of a direct upload on DATABASE or LOCAL")
    @APIResponse(responseCode = "204", description = "Received")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response upload(
            @PathParam("id") String id,
            @QueryParam("exp") String exp,
            @QueryParam("sig") String sig,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length,
            InputStream body) {
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Content-Length is not a number.");
            }
        }
        uploads.receive(id, exp, sig, body == null ? InputStream.nullInputStream() : body, declared);
        return Response.noContent().build();
    }
}
