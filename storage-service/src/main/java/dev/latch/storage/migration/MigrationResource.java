package dev.latch.storage.migration;

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

@Path("/api/v1/storage/migrations")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationResource {

    public record StartRequest(String from, String to) {
    }

    private final MigrationService migrations;

    public MigrationResource(MigrationService migrations) {
        this.migrations = migrations;
    }

    /** 202: the migration runs in the background; follow it at the returned location. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartRequest request) {
        Migration m = migrations.start(request == null ? null : request.from(), request == null ? null : request.to());
        return Response.accepted(MigrationView.of(m))
                .location(UriBuilder.fromPath("/api/v1/storage/migrations/{id}").build(m.id)).build();
    }

    @GET
    @Path("{id}")
    public MigrationView get(@PathParam("id") String id) {
        return MigrationView.of(migrations.get(id));
    }
}
