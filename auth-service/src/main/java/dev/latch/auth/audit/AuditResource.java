package dev.latch.auth.audit;

import dev.latch.common.error.ProblemException;
import dev.latch.common.openapi.ProblemResponses;
import dev.latch.common.web.Page;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditRepository events;

    public AuditResource(AuditRepository events) {
        this.events = events;
    }

    @RegisterForReflection
    public record AuditEventView(
            long id,
            String type,
            String actorId,
            String actor,
            String ip,
            String userAgent,
            Instant occurredAt,
            Map<String, Object> metadata) {}

    @GET
    @RolesAllowed("ADMIN")
    @Operation(summary = "ADMIN: audit events, newest first")
    @APIResponse(responseCode = "200", description = "A page of events")
    @APIResponse(responseCode = "400", ref = ProblemResponses.BAD_REQUEST)
    public Page<AuditEventView> list(
            @QueryParam("type") String type,
            @QueryParam("actor") String actor,
            @QueryParam("pageSize") Integer pageSize,
            @QueryParam("pageToken") String pageToken) {
        int size = Page.size(pageSize);
        Long before = null;
        if (pageToken != null) {
            try {
                before = Long.parseLong(Page.decodeToken(pageToken));
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("pageToken is not valid.");
            }
        }
        List<AuditEvent> rows = events.page(
                type == null || type.isBlank() ? null : type,
                actor == null || actor.isBlank() ? null : actor,
                before,
                size + 1);
        List<AuditEventView> items = rows.stream()
                .limit(size)
                .map(e -> new AuditEventView(
                        e.id, e.type, e.actorId, e.actor, e.ip, e.userAgent, e.occurredAt, e.metadata))
                .toList();
        String next = rows.size() > size
                ? Page.encodeToken(String.valueOf(items.get(items.size() - 1).id()))
                : null;
        return new Page<>(items, next);
    }
}
