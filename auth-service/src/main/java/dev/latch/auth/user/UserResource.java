package dev.latch.auth.user;

import dev.latch.auth.pat.PatService;
import dev.latch.auth.pat.PersonalAccessToken;
import dev.latch.common.auth.NotForPersonalAccessTokens;
import dev.latch.common.auth.RequiresScope;
import dev.latch.common.auth.Scopes;
import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.Page;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/users/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class UserResource {

    @RegisterForReflection
    public record CreateTokenRequest(
            @NotBlank(message = NAME_RULE) @Size(max = 100, message = NAME_RULE)
            String name,

            List<String> scopes,

            @Min(value = 1, message = EXPIRY_RULE) @Max(value = PatService.MAX_EXPIRY_DAYS, message = EXPIRY_RULE)
            Integer expiresInDays) {}

    private static final String NAME_RULE = "name is required (at most 100 characters).";
    private static final String EXPIRY_RULE = "expiresInDays must be between 1 and " + PatService.MAX_EXPIRY_DAYS + ".";

    @RegisterForReflection
    public record CreatedToken(
            UUID id, String name, String token, List<String> scopes, Instant expiresAt, Instant createdAt) {}

    @RegisterForReflection
    public record TokenView(
            UUID id, String name, List<String> scopes, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {}

    private final CurrentUser currentUser;
    private final PatService pats;

    public UserResource(CurrentUser currentUser, PatService pats) {
        this.currentUser = currentUser;
        this.pats = pats;
    }

    @GET
    @RequiresScope({Scopes.PROFILE_READ, Scopes.ATTACHMENTS_READ, Scopes.ATTACHMENTS_WRITE, Scopes.ADMIN})
    @Operation(summary = "The caller's profile (access token or PAT of a user)")
    @APIResponse(responseCode = "200", description = "The user")
    public UserView me() {
        return UserView.of(currentUser.get());
    }

    @POST
    @Path("/tokens")
    @NotForPersonalAccessTokens
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a personal access token (signed-in users only, never with a PAT)")
    @APIResponse(
            responseCode = "201",
            description = "The token; its secret is shown this once",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CreatedToken.class)))
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public Response createToken(@Valid CreateTokenRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("A JSON body with name is required.");
        }
        PatService.Created created =
                pats.create(currentUser.get(), request.name(), request.scopes(), request.expiresInDays());
        PersonalAccessToken p = created.pat();
        return Response.status(201)
                .header("Cache-Control", "no-store")
                .entity(new CreatedToken(p.id, p.name, created.token(), scopes(p.scopes), p.expiresAt, p.createdAt))
                .build();
    }

    @GET
    @Path("/tokens")
    @NotForPersonalAccessTokens
    @Operation(summary = "The caller's personal access tokens (no secrets)")
    @APIResponse(responseCode = "200", description = "The tokens")
    public Page<TokenView> tokens() {
        return new Page<>(
                pats.list(currentUser.id()).stream()
                        .map(p -> new TokenView(p.id, p.name, scopes(p.scopes), p.createdAt, p.expiresAt, p.lastUsedAt))
                        .toList(),
                null);
    }

    @DELETE
    @Path("/tokens/{id}")
    @NotForPersonalAccessTokens
    @Operation(summary = "Revoke one of the caller's personal access tokens")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public Response revokeToken(@PathParam("id") String id) {
        if (!pats.revoke(currentUser.get(), uuid(id))) {
            throw ProblemException.notFound("No such token.");
        }
        return Response.noContent().build();
    }

    private static List<String> scopes(String joined) {
        return joined == null || joined.isBlank() ? List.of() : Arrays.asList(joined.split(" "));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No such resource.");
        }
    }
}
