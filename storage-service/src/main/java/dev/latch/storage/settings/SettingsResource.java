package dev.latch.storage.settings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.common.openapi.ProblemResponses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/storage/settings")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final SettingsService settings;

    public SettingsResource(SettingsService settings) {
        this.settings = settings;
    }

    @GET
    @Operation(summary = "ADMIN: the storage settings (secret write-only)")
    @APIResponse(responseCode = "200", description = "The settings")
    public SettingsView get() {
        return SettingsView.of(settings.current(), settings.pinnedSources());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "ADMIN: change the storage settings; omitted fields keep their values")
    @APIResponse(responseCode = "200", description = "The settings")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public SettingsView put(JsonNode body) {
        return SettingsView.of(settings.update(body), settings.pinnedSources());
    }
}
