package dev.latch.auth.client;

import dev.latch.auth.user.CurrentUser;
import dev.latch.common.error.ProblemException;
import dev.latch.common.error.Validation;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.Page;
import io.quarkus.resteasy.reactive.jackson.CustomDeserialization;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** ADMIN: the OAuth clients stored in the database (those of {@code latch.auth.clients.*} are configuration). */
@Path("/v1/oauth-clients")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
@Tag(name = "OAuth clients", description = "ADMIN: the OAuth clients stored in the database")
public class OAuthClientResource {

    private static final String PATH = "/v1/oauth-clients/{clientId}";

    private final OAuthClientService clients;
    private final CurrentUser currentUser;
    private final Validator validator;

    public OAuthClientResource(OAuthClientService clients, CurrentUser currentUser, Validator validator) {
        this.clients = clients;
        this.currentUser = currentUser;
        this.validator = validator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @CustomDeserialization(StrictJsonReader.class)
    @Operation(summary = "ADMIN: register an OAuth client; its id, and a confidential client's secret, are generated")
    @APIResponse(
            responseCode = "201",
            description = "The client; a confidential client's secret is shown this once",
            headers = @Header(name = "Location", description = PATH),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthClientView.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public Response create(@Valid OAuthClientRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("A JSON body with name, type and grantTypes is required.");
        }
        OAuthClientService.WithSecret created = clients.create(currentUser.admin(), request);
        return withSecret(Response.created(UriBuilder.fromPath(PATH).build(created.client().clientId)))
                .entity(OAuthClientView.of(created.client(), created.secret()))
                .build();
    }

    @GET
    @Operation(summary = "ADMIN: the stored OAuth clients, by client id")
    @APIResponse(responseCode = "200", description = "A page of clients (no secrets)")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public Page<OAuthClientView> list(
            @QueryParam("pageSize") Integer pageSize, @QueryParam("pageToken") String pageToken) {
        currentUser.admin();
        int size = Page.size(pageSize);
        String after = pageToken == null ? null : Page.decodeToken(pageToken);
        if (after != null && !OAuthClient.isWellFormedId(after)) {
            throw ProblemException.badRequest("pageToken is not valid.");
        }
        return Page.of(clients.page(after, size + 1), size, OAuthClientView::of, OAuthClientView::clientId);
    }

    @GET
    @Path("/{clientId}")
    @Operation(summary = "ADMIN: one stored OAuth client (no secret)")
    @APIResponse(responseCode = "200", description = "The client")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public OAuthClientView get(@PathParam("clientId") String clientId) {
        currentUser.admin();
        return OAuthClientView.of(clients.get(clientId));
    }

    @PUT
    @Path("/{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @CustomDeserialization(StrictJsonReader.class)
    @Operation(
            summary = "ADMIN: replace a stored OAuth client's fields; its id, type and secret stay (type may be "
                    + "left out)")
    @APIResponse(responseCode = "200", description = "The client as changed (no secret)")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public OAuthClientView update(@PathParam("clientId") String clientId, OAuthClientRequest request) {
        var admin = currentUser.admin();
        OAuthClient stored = clients.get(clientId);
        if (request == null) {
            throw ProblemException.badRequest("A JSON body with name and grantTypes is required.");
        }
        if (request.type() != null && !request.type().equals(stored.type)) {
            throw ProblemException.badRequest("type cannot change: this client is " + stored.type + ".");
        }
        OAuthClientRequest body = Validation.validate(validator, request.withType(stored.type));
        return OAuthClientView.of(clients.update(admin, clientId, body));
    }

    @DELETE
    @Path("/{clientId}")
    @Operation(summary = "ADMIN: delete a stored OAuth client; it can no longer authenticate")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response delete(@PathParam("clientId") String clientId) {
        clients.delete(currentUser.admin(), clientId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{clientId}/secret")
    @Operation(summary = "ADMIN: generate a new secret for a confidential client; the old one stops working at once")
    @APIResponse(
            responseCode = "200",
            description = "The client with its new secret, shown this once",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = OAuthClientView.class)))
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response rotateSecret(@PathParam("clientId") String clientId) {
        OAuthClientService.WithSecret rotated = clients.rotateSecret(currentUser.admin(), clientId);
        return withSecret(Response.ok())
                .entity(OAuthClientView.of(rotated.client(), rotated.secret()))
                .build();
    }

    /** An answer that may carry a secret is never stored by a cache. */
    private static Response.ResponseBuilder withSecret(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store");
    }
}
