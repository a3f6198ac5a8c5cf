package dev.latch.idp.provider;

import dev.latch.common.config.PublicBaseUrl;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.Page;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/identity-providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    @RegisterForReflection
    public record PublicProvider(String id, String title, String startUrl) {}

    private final ProviderService providers;
    private final PublicBaseUrl publicBaseUrl;

    public ProviderResource(ProviderService providers, PublicBaseUrl publicBaseUrl) {
        this.providers = providers;
        this.publicBaseUrl = publicBaseUrl;
    }

    /** Enabled, configured providers for a login page. */
    @GET
    @Operation(summary = "The enabled providers, for a login page")
    @APIResponse(responseCode = "200", description = "id, title and startUrl of each")
    public Page<PublicProvider> list() {
        return new Page<>(
                providers.all().stream()
                        .filter(IdentityProvider::usable)
                        .map(p -> new PublicProvider(
                                p.id, p.title, publicBaseUrl.resolve("/v1/auth/oauth/" + p.id + "/start")))
                        .toList(),
                null);
    }

    @GET
    @Path("/admin")
    @RolesAllowed("ADMIN")
    @Operation(summary = "ADMIN: every provider's configuration, without secrets")
    @APIResponse(responseCode = "200", description = "The providers")
    public Page<ProviderPayload> adminList() {
        return new Page<>(providers.all().stream().map(providers::view).toList(), null);
    }

    @GET
    @Path("/admin/{id}")
    @RolesAllowed("ADMIN")
    @Operation(summary = "ADMIN: one provider's configuration, without secrets")
    @APIResponse(responseCode = "200", description = "The provider")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public ProviderPayload adminGet(@PathParam("id") String id) {
        return providers.view(providers
                .find(id)
                .orElseThrow(() ->
                        dev.latch.common.error.ProblemException.notFound("No such identity provider: " + id + ".")));
    }

    @POST
    @Path("/admin")
    @RolesAllowed("ADMIN")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "ADMIN: add a provider; omitted fields take the kind's defaults")
    @APIResponse(
            responseCode = "201",
            description = "The provider, clientSecretSet instead of the secret",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ProviderPayload.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response create(ProviderPayload body) {
        return Response.status(201)
                .entity(providers.view(providers.create(body)))
                .build();
    }

    @PUT
    @Path("/admin/{id}")
    @RolesAllowed("ADMIN")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "ADMIN: replace a provider's configuration (its issuer is fixed after the first login)")
    @APIResponse(responseCode = "200", description = "The provider, clientSecretSet instead of the secret")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public ProviderPayload update(@PathParam("id") String id, ProviderPayload body) {
        return providers.view(providers.update(id, body));
    }

    @DELETE
    @Path("/admin/{id}")
    @RolesAllowed("ADMIN")
    @Operation(summary = "ADMIN: remove a provider")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response delete(@PathParam("id") String id) {
        providers.delete(id);
        return Response.noContent().build();
    }
}
