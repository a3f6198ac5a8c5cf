package dev.latch.example;

import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/")
@Produces(MediaType.TEXT_PLAIN)
public class HelloResource {

    @Inject
    SecurityIdentity identity;

    /** A user's access token or PAT (role USER). Client-credentials tokens carry no role: 403. */
    @GET
    @Path("hello")
    @RolesAllowed("USER")
    public String hello() {
        return identity.getPrincipal().getName();
    }

    /** Only a token that carries the scope attachments:read, e.g. a PAT created with it. */
    @GET
    @Path("attachments")
    @PermissionsAllowed("attachments:read")
    public String attachments() {
        return "attachments of " + identity.getPrincipal().getName();
    }
}
