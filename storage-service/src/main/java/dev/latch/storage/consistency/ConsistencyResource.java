package dev.latch.storage.consistency;

import dev.latch.common.openapi.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/storage/consistency")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class ConsistencyResource {

    private final ConsistencyService consistency;

    public ConsistencyResource(ConsistencyService consistency) {
        this.consistency = consistency;
    }

    @GET
    @Operation(
            summary =
                    "ADMIN: per backend, the attachment records, those whose blob is missing, and blobs no record references")
    @APIResponse(
            responseCode = "200",
            description = "The figures of DATABASE, LOCAL and S3",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ConsistencyReport.class)))
    @APIResponse(responseCode = "503", ref = ProblemResponses.SERVICE_UNAVAILABLE)
    public ConsistencyReport check() {
        return consistency.check();
    }
}
