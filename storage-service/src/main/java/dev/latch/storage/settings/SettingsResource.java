package dev.latch.storage.settings;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/storage/settings")
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final SettingsService settings;

    public SettingsResource(SettingsService settings) {
        this.settings = settings;
    }

    @GET
    public SettingsView get() {
        return SettingsView.of(settings.current());
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public SettingsView put(JsonNode body) {
        return SettingsView.of(settings.update(body));
    }
}
