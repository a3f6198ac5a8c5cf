package dev.latch.auth.audit;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Every query on {@code audit_events}. */
@ApplicationScoped
public class AuditRepository implements PanacheRepositoryBase<AuditEvent, Long> {

    /**
     * Up to {@code limit} events, newest first, of this type and actor (id or name) when given, older than
     * {@code beforeId} when given.
     */
    public List<AuditEvent> page(String type, String actor, Long beforeId, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (type != null) {
            where.append(" and type = :type");
            params.put("type", type);
        }
        if (actor != null) {
            where.append(" and (actorId = :actor or actor = :actor)");
            params.put("actor", actor);
        }
        if (beforeId != null) {
            where.append(" and id < :before");
            params.put("before", beforeId);
        }
        return find(where.toString(), Sort.descending("id"), params)
                .page(0, limit)
                .list();
    }
}
