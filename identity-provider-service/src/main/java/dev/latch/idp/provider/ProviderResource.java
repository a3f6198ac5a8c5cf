package dev.latch.idp.provider;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;

@Path("/v1/identity-providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    @RegisterForReflection
    public record PublicProvider(String id, String title, String startUrl) {
    }

    private final ProviderService providers;
    private final String publicBaseUrl;

    public ProviderResource(ProviderService providers, @ConfigProperty(name = "latch.public-base-url") String publicBaseUrl) {
        this.providers = providers;
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    /** Enabled, configured providers for a login page. */
    @GET
    public Page<PublicProvider> list() {
        return new Page<>(providers.all().stream().filter(IdentityProvider::usable)
                .map(p -> new PublicProvider(p.id, p.title, publicBaseUrl + "/v1/auth/oauth/" + p.id + "/start"))
                .toList(), null);
    }

    @GET
    @Path("/admin")
    @RolesAllowed("ADMIN")
    public Page<ProviderPayload> adminList() {
        return new Page<>(providers.all().stream().map(providers::view).toList(), null);
    }

    @GET
    @Path("/admin/{id}")
    @RolesAllowed("ADMIN")
    public ProviderPayload adminGet(@PathParam("id") String id) {
        return providers.view(providers.find(id)
                .orElseThrow(() -> dev.latch.common.error.ProblemException.notFound("No such identity provider: " + id + ".")));
    }

    @POST
    @Path("/admin")
    @RolesAllowed("ADMIN")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ProviderPayload body) {
        return Response.status(201).entity(providers.view(providers.create(body))).build();
    }

    @PUT
    @Path("/admin/{id}")
    @RolesAllowed("ADMIN")
    @Consumes(MediaType.APPLICATION_JSON)
    public ProviderPayload update(@PathParam("id") String id, ProviderPayload body) {
        return providers.view(providers.update(id, body));
    }

    @DELETE
    @Path("/admin/{id}")
    @RolesAllowed("ADMIN")
    public Response delete(@PathParam("id") String id) {
        providers.delete(id);
        return Response.noContent().build();
    }
}
