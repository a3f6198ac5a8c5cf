package dev.latch.auth.key;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.user.CurrentUser;
import dev.latch.common.openapi.ProblemResponses;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** ADMIN: the signing keys (public facts only) and rotation. */
@Path("/v1/auth/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class KeyResource {

    @RegisterForReflection
    public record KeyView(String kid, String algorithm, Instant activatedAt, Instant retiredAt, boolean active) {}

    private final SigningKeyStore keys;
    private final AuditService audit;
    private final CurrentUser currentUser;

    public KeyResource(SigningKeyStore keys, AuditService audit, CurrentUser currentUser) {
        this.keys = keys;
        this.audit = audit;
        this.currentUser = currentUser;
    }

    @GET
    @Operation(summary = "ADMIN: the signing keys that may still verify a token (public facts only)")
    @APIResponse(responseCode = "200", description = "The keys")
    public dev.latch.common.web.Page<KeyView> list() {
        String active = keys.active().kid();
        return new dev.latch.common.web.Page<>(
                keys.published().stream().map(k -> view(k, active)).toList(), null);
    }

    /** Publishes a new key now; it signs after {@code latch.auth.keys.publish-lead}. */
    @POST
    @Path("/rotate")
    @Operation(summary = "ADMIN: publish a new generated signing key, active after the publish lead")
    @APIResponse(
            responseCode = "201",
            description = "The new key",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = KeyView.class)))
    @APIResponse(responseCode = "409", ref = ProblemResponses.CONFLICT)
    public Response rotate() {
        KeyView key = view(keys.rotate(), keys.active().kid());
        var user = currentUser.get();
        audit.record(
                AuditService.KEY_ROTATED,
                user.id.toString(),
                user.username,
                Map.of("kid", key.kid(), "activates_at", key.activatedAt().toString()));
        return Response.status(201).entity(key).build();
    }

    private static KeyView view(SigningKey k, String activeKid) {
        Instant activated = null;
        Instant retired = null;
        if (k.schedule() instanceof SigningKey.Stored stored) {
            activated = stored.activatesAt();
            retired = stored.retiresAt();
        } else if (k.schedule() instanceof SigningKey.Mounted mounted && mounted.chosen()) {
            // a directory records no activation time: the chosen key is listed as signing since the epoch
            activated = Instant.EPOCH;
        }
        return new KeyView(k.kid(), k.algorithm(), activated, retired, k.kid().equals(activeKid));
    }
}
