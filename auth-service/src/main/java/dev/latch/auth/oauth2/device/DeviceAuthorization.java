package dev.latch.auth.oauth2.device;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A device's authorization request (RFC 8628), its device code kept as its SHA-256: the row of
 * {@code device_authorizations}. It is {@link #PENDING} until a signed-in user approves or denies it at
 * {@code /device}, and an approved one becomes {@link #USED} when the device exchanges its code.
 */
@Entity
@Table(name = "device_authorizations")
public class DeviceAuthorization {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String DENIED = "denied";
    public static final String USED = "used";

    @Id
    @Column(name = "device_code_hash")
    public byte[] deviceCodeHash;

    /** As shown to the user: {@code XXXX-XXXX}. */
    @Column(name = "user_code")
    public String userCode;

    @Column(name = "client_id")
    public String clientId;

    /** The granted scopes, space-separated. */
    public String scope;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The polling interval the device must keep; raised by 5 s at every {@code slow_down}. */
    @Column(name = "interval_seconds")
    public int intervalSeconds;

    @Column(name = "last_polled_at")
    public Instant lastPolledAt;

    public String status;

    /** The user who approved (or denied) the request. */
    @Column(name = "user_id")
    public UUID userId;

    /** The browser session it was approved in: the ID token's {@code sid}. */
    @Column(name = "browser_session_id")
    public UUID browserSessionId;

    public String amr;

    @Column(name = "auth_time")
    public Instant authTime;

    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
