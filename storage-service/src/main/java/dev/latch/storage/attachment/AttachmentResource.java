package dev.latch.storage.attachment;

import dev.latch.common.auth.RequiresScope;
import dev.latch.common.auth.Scopes;
import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.Page;
import dev.latch.storage.presign.AttachmentUrls;
import dev.latch.storage.settings.SettingsService;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/attachments")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AttachmentResource {

    private final AttachmentService attachments;
    private final AttachmentUrls urls;
    private final SettingsService settings;
    private final JsonWebToken jwt;
    private final SecurityIdentity identity;

    public AttachmentResource(
            AttachmentService attachments,
            AttachmentUrls urls,
            SettingsService settings,
            JsonWebToken jwt,
            SecurityIdentity identity) {
        this.attachments = attachments;
        this.urls = urls;
        this.settings = settings;
        this.jwt = jwt;
        this.identity = identity;
    }

    /** Multipart upload, field {@code file}. Quarkus has spooled the part to a temporary file, deleted after the request. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequiresScope(Scopes.ATTACHMENTS_WRITE)
    @Operation(summary = "Upload a file: multipart field file, or the raw body with ?filename=")
    @APIResponse(
            responseCode = "201",
            description = "The attachment, with a signed url",
            headers = @Header(name = "Location", description = "/api/v1/attachments/{uid}"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AttachmentView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ProblemResponses.CONTENT_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response uploadMultipart(@RestForm("file") FileUpload file) {
        if (file == null || file.uploadedFile() == null) {
            throw ProblemException.badRequest("The multipart field 'file' is required.");
        }
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return created(attachments.upload(owner(), file.fileName(), file.contentType(), in, file.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw body upload, {@code ?filename=}; the body streams straight to the backend. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @RequiresScope(Scopes.ATTACHMENTS_WRITE)
    // one operation with the multipart upload, which documents its errors
    @APIResponse(
            responseCode = "201",
            description = "The attachment, with a signed url",
            headers = @Header(name = "Location", description = "/api/v1/attachments/{uid}"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AttachmentView.class)))
    public Response uploadRaw(
            @QueryParam("filename") String filename,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String length,
            InputStream body) {
        if (filename == null || filename.isBlank()) {
            throw ProblemException.badRequest(
                    "Send the file as multipart field 'file', or as the body with ?filename=.");
        }
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Content-Length is not a number.");
            }
        }
        return created(attachments.upload(
                owner(), filename, type, body == null ? InputStream.nullInputStream() : body, declared));
    }

    @GET
    @RequiresScope(Scopes.ATTACHMENTS_READ)
    @Operation(summary = "The caller's attachments, newest first")
    @APIResponse(responseCode = "200", description = "A page of attachments, each with a fresh signed url")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public Page<AttachmentView> list(
            @QueryParam("pageSize") Integer pageSize, @QueryParam("pageToken") String pageToken) {
        Page<Attachment> page = attachments.list(owner(), pageSize, pageToken);
        return new Page<>(page.items().stream().map(this::view).toList(), page.nextPageToken());
    }

    @GET
    @Path("{uid}")
    @RequiresScope(Scopes.ATTACHMENTS_READ)
    @Operation(summary = "One attachment, with a fresh signed url and urlExpiresAt")
    @APIResponse(responseCode = "200", description = "The attachment")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public AttachmentView get(@PathParam("uid") String uid) {
        return view(attachments.find(uid, caller()));
    }

    /** A fresh signed URL; {@code ttl} between 1 and the configured maximum (≤ 7 days). */
    @GET
    @Path("{uid}/url")
    @RequiresScope(Scopes.ATTACHMENTS_READ)
    @Operation(summary = "A fresh signed URL; ttl between 1 and the configured maximum (at most 7 days)")
    @APIResponse(responseCode = "200", description = "{url, expiresAt}")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Map<String, Object> url(@PathParam("uid") String uid, @QueryParam("ttl") String ttl) {
        int max = settings.current().maxUrlTtlSeconds();
        int seconds = settings.current().urlTtlSeconds();
        if (ttl != null) {
            try {
                long v = Long.parseLong(ttl.trim());
                if (v < 1 || v > max) {
                    throw new NumberFormatException();
                }
                seconds = (int) v;
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("ttl must be an integer between 1 and " + max + " seconds.");
            }
        }
        Attachment a = attachments.find(uid, caller());
        AttachmentUrls.IssuedUrl issued = urls.issue(a, seconds);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", issued.url());
        body.put("expiresAt", issued.expiresAt());
        return body;
    }

    @DELETE
    @Path("{uid}")
    @RequiresScope(Scopes.ATTACHMENTS_WRITE)
    @Operation(summary = "Delete an attachment and its blob")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response delete(@PathParam("uid") String uid) {
        attachments.delete(uid, caller());
        return Response.noContent().build();
    }

    private Response created(Attachment a) {
        return Response.created(UriBuilder.fromPath("/api/v1/attachments/{uid}").build(a.uid))
                .entity(view(a))
                .build();
    }

    private AttachmentView view(Attachment a) {
        AttachmentUrls.IssuedUrl issued = urls.issue(a);
        return AttachmentView.of(a, issued.url(), issued.expiresAt());
    }

    private String owner() {
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > 128) {
            throw ProblemException.unauthorized("The token has no usable subject.");
        }
        return sub;
    }

    private AttachmentService.Caller caller() {
        return new AttachmentService.Caller(owner(), identity.hasRole("ADMIN"));
    }
}
