package dev.latch.auth.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;

/**
 * Records security events. An event joins the transaction of the change it records, so both commit or
 * neither does: a PAT, user or session whose write failed (the database went away before the commit)
 * leaves no event claiming it happened. Recorded outside a transaction — a failed sign-in, a detected
 * refresh-token reuse — an event is written on its own, so it survives the request's error answer.
 */
@ApplicationScoped
public class AuditService {

    public static final String SIGNUP = "auth.signup";
    public static final String SIGNIN_SUCCEEDED = "auth.signin.succeeded";
    public static final String SIGNIN_FAILED = "auth.signin.failed";
    public static final String REFRESH_REUSE_DETECTED = "auth.refresh.reuse_detected";
    public static final String SIGNOUT = "auth.signout";
    public static final String PAT_CREATED = "auth.pat.created";
    public static final String PAT_REVOKED = "auth.pat.revoked";
    public static final String KEY_ROTATED = "auth.key.rotated";
    public static final String USER_UPDATED = "auth.user.updated";
    public static final String OAUTH_CLIENT_CREATED = "auth.oauth_client.created";
    public static final String OAUTH_CLIENT_UPDATED = "auth.oauth_client.updated";
    public static final String OAUTH_CLIENT_DELETED = "auth.oauth_client.deleted";
    public static final String OAUTH_CLIENT_SECRET_ROTATED = "auth.oauth_client.secret_rotated";

    public static String oauthLinked(String provider) {
        return "auth.oauth." + provider + ".linked";
    }

    private final CurrentVertxRequest currentRequest;
    private final AuditRepository events;

    public AuditService(CurrentVertxRequest currentRequest, AuditRepository events) {
        this.currentRequest = currentRequest;
        this.events = events;
    }

    public void record(String type, String actorId, String actor, Map<String, Object> metadata) {
        AuditEvent event = new AuditEvent();
        event.type = type;
        event.actorId = actorId;
        event.actor = actor;
        event.occurredAt = Instant.now();
        event.metadata = metadata == null ? Map.of() : metadata;
        RoutingContext rc = currentRequest.getCurrent();
        if (rc != null) {
            HttpServerRequest request = rc.request();
            event.ip = clientIp(rc);
            String ua = request.getHeader("User-Agent");
            event.userAgent = ua == null ? null : ua.substring(0, Math.min(ua.length(), 512));
        }
        QuarkusTransaction.joiningExisting().run(() -> events.persist(event));
    }

    public static String clientIp(RoutingContext rc) {
        // honours X-Forwarded-For only when quarkus.http.proxy.proxy-address-forwarding is on
        var address = rc.request().remoteAddress();
        return address == null ? null : address.hostAddress();
    }
}
