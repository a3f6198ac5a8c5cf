package dev.latch.storage.presign;

import dev.latch.common.error.ProblemException;
import dev.latch.storage.attachment.Attachment;
import dev.latch.storage.attachment.AttachmentView;
import dev.latch.common.auth.RequiresScope;
import dev.latch.common.auth.Scopes;
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
    public Response create(DirectUploadService.Request request) {
        DirectUploadService.Ticket ticket = uploads.create(owner(), request);
        return Response.status(201).entity(ticket).build();
    }

    @POST
    @Path("{id}/complete")
    public Response complete(@PathParam("id") String id) {
        Attachment a = uploads.complete(owner(), id);
        AttachmentUrls.IssuedUrl issued = urls.issue(a);
        return Response.created(UriBuilder.fromPath("/api/v1/attachments/{uid}").build(a.uid))
                .entity(AttachmentView.of(a, issued.url(), issued.expiresAt())).build();
    }

    private String owner() {
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank() || sub.length() > 128) {
            throw ProblemException.unauthorized("The token has no usable subject.");
        }
        return sub;
    }
}
