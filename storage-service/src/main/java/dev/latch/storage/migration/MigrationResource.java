package dev.latch.storage.migration;

import dev.latch.common.openapi.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/storage/migrations")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

    public record StartRequest(String from, String to) {}

    private final MigrationService migrations;

    public MigrationResource(MigrationService migrations) {
        this.migrations = migrations;
    }

    /** 202: the migration runs in the background; follow it at the returned location. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "ADMIN: move every attachment from one backend to another, in the background")
    @APIResponse(
            responseCode = "202",
            description = "Started; follow it at Location",
            headers = @Header(name = "Location", description = "/api/v1/storage/migrations/{id}"),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = MigrationView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response start(StartRequest request) {
        Migration m = migrations.start(request == null ? null : request.from(), request == null ? null : request.to());
        return Response.accepted(MigrationView.of(m))
                .location(UriBuilder.fromPath("/api/v1/storage/migrations/{id}").build(m.id))
                .build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "ADMIN: a migration's progress")
    @APIResponse(responseCode = "200", description = "The migration")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public MigrationView get(@PathParam("id") String id) {
        return MigrationView.of(migrations.get(id));
    }
}
