package dev.latch.auth.user;

import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.Page;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** ADMIN: find users and change a user's role and status (the first ADMIN comes from the bootstrap). */
@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class UserAdminResource {

    @RegisterForReflection
    public record UserChange(
            @Pattern(regexp = "ADMIN|USER", message = ROLE_RULE)
            String role,

            @Pattern(regexp = "ACTIVE|DISABLED", message = STATUS_RULE)
            String status) {}

    private static final String ROLE_RULE = "role must be ADMIN or USER.";
    private static final String STATUS_RULE = "status must be ACTIVE or DISABLED.";

    private final UserService users;
    private final UserRepository repository;
    private final CurrentUser currentUser;
    private final UserStatusCache userStatus;

    public UserAdminResource(
            UserService users, UserRepository repository, CurrentUser currentUser, UserStatusCache userStatus) {
        this.users = users;
        this.repository = repository;
        this.currentUser = currentUser;
        this.userStatus = userStatus;
    }

    @GET
    @Operation(summary = "ADMIN: users by username, or the one with this username")
    @APIResponse(responseCode = "200", description = "A page of users, by username")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public Page<UserView> list(
            @QueryParam("username") String username,
            @QueryParam("pageSize") Integer pageSize,
            @QueryParam("pageToken") String pageToken) {
        admin();
        if (username != null) {
            return new Page<>(
                    repository.findByUsername(UserService.normalizeUsername(username)).map(UserView::of).stream()
                            .toList(),
                    null);
        }
        int size = Page.size(pageSize);
        List<User> rows = repository.pageByUsername(pageToken == null ? null : Page.decodeToken(pageToken), size + 1);
        return Page.of(rows, size, UserView::of, UserView::username);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "ADMIN: one user")
    @APIResponse(responseCode = "200", description = "The user")
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    public UserView get(@PathParam("id") String id) {
        admin();
        return repository
                .findByIdOptional(uuid(id))
                .map(UserView::of)
                .orElseThrow(() -> ProblemException.notFound("No user with this id."));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "ADMIN: change a user's role (ADMIN, USER) and/or status (ACTIVE, DISABLED)")
    @APIResponse(responseCode = "200", description = "The user as changed")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public UserView change(@PathParam("id") String id, @Valid UserChange change) {
        if (change == null || change.role() == null && change.status() == null) {
            throw ProblemException.badRequest("Send role (ADMIN or USER) and/or status (ACTIVE or DISABLED).");
        }
        // the body's constraints admit only the enum names
        User.Role role = change.role() == null ? null : User.Role.valueOf(change.role());
        User.Status status = change.status() == null ? null : User.Status.valueOf(change.status());
        User changed = users.changeRoleAndStatus(admin(), uuid(id), role, status);
        userStatus.forget(changed.id);
        return UserView.of(changed);
    }

    /** The caller, still an active ADMIN now (see {@link CurrentUser#admin}). */
    private User admin() {
        return currentUser.admin();
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("No user with this id.");
        }
    }
}
