package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.user.CurrentUser;
import dev.latch.common.auth.NotForPersonalAccessTokens;
import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.Page;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's remembered consents: which clients they allowed which scopes, and withdrawing one (the client then
 * shows the consent page again at its next authorization request). Like sessions, managed by a signed-in user,
 * never with a PAT.
 */
@Path("/v1/users/me/consents")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "OpenID Provider")
public class UserConsentResource {

    @RegisterForReflection
    public record ConsentView(String clientId, String clientName, List<String> scopes, Instant grantedAt) {}

    private final CurrentUser currentUser;
    private final Consents consents;
    private final ClientRegistry clients;
    private final RefreshTokenService refreshTokens;

    public UserConsentResource(
            CurrentUser currentUser, Consents consents, ClientRegistry clients, RefreshTokenService refreshTokens) {
        this.refreshTokens = refreshTokens;
        this.currentUser = currentUser;
        this.consents = consents;
        this.clients = clients;
    }

    @GET
    @NotForPersonalAccessTokens
    @Operation(summary = "The caller's remembered consents, most recently granted first")
    @APIResponse(responseCode = "200", description = "The consents")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    public Page<ConsentView> list() {
        return new Page<>(
                consents.of(currentUser.id()).stream()
                        .map(c -> new ConsentView(
                                c.clientId,
                                // a client deleted since keeps its consent until withdrawn: shown by its id
                                clients.find(c.clientId)
                                        .map(ClientRegistry.Client::name)
                                        .orElse(c.clientId),
                                List.of(c.scopes),
                                c.grantedAt))
                        .toList(),
                null);
    }

    @DELETE
    @Path("/{clientId}")
    @NotForPersonalAccessTokens
    @Operation(summary = "Withdraw the caller's consent for a client; its refresh tokens for the caller are revoked")
    @APIResponse(responseCode = "204", description = "Withdrawn")
    @APIResponse(responseCode = "401", ref = ProblemResponses.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = ProblemResponses.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response revoke(@PathParam("clientId") String clientId) {
        if (!consents.revoke(currentUser.id(), clientId)) {
            throw ProblemException.notFound("No consent for this client.");
        }
        // what the consent allowed ends with it: the client's refresh tokens for this user stop working
        refreshTokens.revokeOfClient(currentUser.id(), clientId, "consent_withdrawn");
        return Response.noContent().build();
    }
}
