package dev.latch.storage.settings;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.latch.common.error.Problem;
import dev.latch.common.error.ProblemMappers;
import dev.latch.common.openapi.ProblemResponses;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Objects;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

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
    public StorageSettings get() {
        return settings.current();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "ADMIN: change the storage settings; omitted fields keep their values")
    @APIResponse(responseCode = "200", description = "The settings")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    @CustomDeserialization(SettingsPatch.StrictReader.class)
    public StorageSettings put(
            // the contract document (docs/openapi/storage-service.yaml) names this body's schema JsonNode, as the
            // resource took a JsonNode before; it stays so until the contract changes
            @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = JsonNode.class)))
                    @Valid
                    SettingsPatch body) {
        return settings.update(body);
    }

    /** An unknown field is named by its path ({@code s3.unknown}, not {@code unknown}), as the settings API always has. */
    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String path = e.getPath().stream()
                .map(JsonMappingException.Reference::getFieldName)
                .filter(Objects::nonNull)
                .collect(Collectors.joining("."));
        return ProblemMappers.build(Problem.of(400, "Bad Request", "Unknown field '" + path + "'."))
                .build();
    }
}
