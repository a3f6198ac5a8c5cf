package dev.latch.auth.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "audit_events")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String type;

    @Column(name = "actor_id")
    public String actorId;

    public String actor;
    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> metadata;
}
