package dev.latch.auth.session;

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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The caller's sign-in sessions (refresh-token families): listed and ended by their owner. */
@Path("/v1/users/me/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class SessionResource {

    @RegisterForReflection
    public record SessionView(
            UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String ip, String userAgent) {}

    private final CurrentUser currentUser;
    private final RefreshTokenService refreshTokens;

    public SessionResource(CurrentUser currentUser, RefreshTokenService refreshTokens) {
        this.currentUser = currentUser;
        this.refreshTokens = refreshTokens;
    }

    @GET
    @NotForPersonalAccessTokens
    @Operation(summary = "The caller's live sessions (refresh-token families)")
    @APIResponse(responseCode = "200", description = "The sessions, most recently used first")
    public Page<SessionView> sessions() {
        return new Page<>(
                refreshTokens.sessions(currentUser.id()).stream()
                        .map(s -> new SessionView(
                                s.id(), s.createdAt(), s.lastUsedAt(), s.expiresAt(), s.ip(), s.userAgent()))
                        .toList(),
                null);
    }

    @DELETE
    @Path("/{id}")
    @NotForPersonalAccessTokens
    @Operation(summary = "Revoke one of the caller's sessions")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response revokeSession(@PathParam("id") String id) {
        if (!refreshTokens.revokeFamily(uuid(id), currentUser.id(), "user_revoked")) {
            throw ProblemException.notFound("No such session.");
        }
        return Response.noContent().build();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No such resource.");
        }
    }
}
