package dev.latch.storage.presign;

import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.storage.attachment.Attachment;
import dev.latch.storage.attachment.AttachmentView;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /api/v1/attachments/uploads} → PUT to the returned URL → {@code POST …/uploads/{id}/complete}. */
@Path("/api/v1/attachments/uploads")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DirectUploadResource {

    private final DirectUploadService uploads;
    private final AttachmentUrls urls;
    private final JsonWebToken jwt;

    public DirectUploadResource(DirectUploadService uploads, AttachmentUrls urls, JsonWebToken jwt) {
        this.uploads = uploads;
        this.urls = urls;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Announce a direct upload: the URL to PUT the bytes to (presigned on S3)")
    @APIResponse(
            responseCode = "201",
            description = "The upload ticket",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = DirectUploadService.Ticket.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "413", ref = ProblemResponses.CONTENT_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    public Response create(DirectUploadService.Request request) {
        DirectUploadService.Ticket ticket = uploads.create(owner(), request);
        return Response.status(201).entity(ticket).build();
    }

    @POST
    @Path("{id}/complete")
    @Operation(summary = "Complete a direct upload: the bytes are verified (size, SHA-256) and become an attachment")
    @APIResponse(
            responseCode = "201",
            description = "The attachment",
            headers = @Header(name = "Location", description = "/api/v1/attachments/{uid}"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AttachmentView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @APIResponse(responseCode = "415", ref = ProblemResponses.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public Response complete(@PathParam("id") String id) {
        Attachment a = uploads.complete(owner(), id);
        AttachmentUrls.IssuedUrl issued = urls.issue(a);
        return Response.created(UriBuilder.fromPath("/api/v1/attachments/{uid}").build(a.uid))
                .entity(AttachmentView.of(a, issued.url(), issued.expiresAt()))
                .build();
    }

    private String owner() {
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > 128) {
            throw ProblemException.unauthorized("The token has no usable subject.");
        }
        return sub;
    }
}
