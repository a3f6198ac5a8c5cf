package dev.latch.auth.oauth2.device;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Device authorizations (RFC 8628): a device code of 256 random bits (kept as its SHA-256) for the device, a short
 * user code for the person, {@code device-code-ttl} (10 minutes) long; answered once at {@code /device}, exchanged
 * once at the token endpoint.
 */
@ApplicationScoped
public class DeviceAuthorizations {

    /** RFC 8628 §3.5: every {@code slow_down} adds this to the interval. */
    static final int SLOW_DOWN_SECONDS = 5;

    /** An expired request is kept this long, so that a late poll hears expired_token rather than invalid_grant. */
    private static final Duration KEEP_AFTER_EXPIRY = Duration.ofMinutes(10);

    private final AuthConfig config;
    private final DeviceAuthorizationRepository requests;

    public DeviceAuthorizations(AuthConfig config, DeviceAuthorizationRepository requests) {
        this.config = config;
        this.requests = requests;
    }

    /** A new request: the codes to show and how long they live. */
    public record Issued(String deviceCode, String userCode, long expiresIn, int interval) {}

    @Transactional
    public Issued issue(String clientId, List<String> scopes) {
        Instant now = Instant.now();
        requests.deleteExpired(now.minus(KEEP_AFTER_EXPIRY));
        String deviceCode = SecureTokens.randomBase64Url(32);
        DeviceAuthorization d = new DeviceAuthorization();
        d.deviceCodeHash = SecureTokens.sha256(deviceCode);
        d.userCode = freeUserCode();
        d.clientId = clientId;
        d.scope = String.join(" ", scopes);
        d.createdAt = now;
        d.expiresAt = now.plus(config.authorization().deviceCodeTtl());
        d.intervalSeconds =
                (int) Math.max(1, config.authorization().deviceInterval().toSeconds());
        d.status = DeviceAuthorization.PENDING;
        requests.persist(d);
        return new Issued(
                deviceCode, d.userCode, config.authorization().deviceCodeTtl().toSeconds(), d.intervalSeconds);
    }

    /** 20^8 codes: a clash is rare, and retried; one left after ten tries means something else is wrong. */
    private String freeUserCode() {
        for (int i = 0; i < 10; i++) {
            String code = UserCodes.generate();
            if (!requests.userCodeTaken(code)) {
                return code;
            }
        }
        throw new IllegalStateException("no free user code after 10 tries");
    }

    /** The pending, unexpired request of what a person typed at {@code /device}. */
    @Transactional
    public Optional<DeviceAuthorization> pending(String typedUserCode) {
        String code = UserCodes.normalize(typedUserCode);
        if (code == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return requests.findByUserCode(code)
                .filter(d -> DeviceAuthorization.PENDING.equals(d.status))
                .filter(d -> !d.expired(now));
    }

    /** Approves the request for the signed-in user; false when it was answered meanwhile or has expired. */
    @Transactional
    public boolean approve(String userCode, BrowserSessionService.Current session) {
        return requests.approve(
                userCode,
                session.user().id,
                session.session().id,
                session.session().amr,
                session.session().authTime,
                Instant.now());
    }

    /** Denies the request; false when it was answered meanwhile or has expired. */
    @Transactional
    public boolean deny(String userCode, BrowserSessionService.Current session) {
        return requests.deny(userCode, session.user().id, Instant.now());
    }

    /** What a poll of the token endpoint finds. */
    public sealed interface Poll permits Unknown, OtherClient, Expired, Pending, SlowDown, Denied, Used, Approved {}

    public record Unknown() implements Poll {}

    public record OtherClient() implements Poll {}

    public record Expired() implements Poll {}

    public record Pending() implements Poll {}

    /** Polled sooner than the interval: the interval is now {@code interval} seconds. */
    public record SlowDown(int interval) implements Poll {}

    public record Denied() implements Poll {}

    /** Exchanged before (or by a concurrent poll that won). */
    public record Used() implements Poll {}

    /** Approved, and now marked used by this poll: the one that issues the tokens. */
    public record Approved(DeviceAuthorization request) implements Poll {}

    /**
     * A poll by {@code clientId} with this device code, in its own transaction so that a concurrent poll sees the
     * code used as soon as this one has taken it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Poll poll(String deviceCode, String clientId) {
        byte[] hash = SecureTokens.sha256(deviceCode);
        Optional<DeviceAuthorization> found = requests.findByHash(hash);
        if (found.isEmpty()) {
            return new Unknown();
        }
        DeviceAuthorization d = found.get();
        if (!d.clientId.equals(clientId)) {
            return new OtherClient();
        }
        Instant now = Instant.now();
        if (d.expired(now)) {
            return new Expired();
        }
        return switch (d.status) {
            case DeviceAuthorization.DENIED -> new Denied();
            case DeviceAuthorization.USED -> new Used();
            case DeviceAuthorization.APPROVED -> requests.use(hash) ? new Approved(d) : new Used();
            default -> pendingPoll(d, hash, now);
        };
    }

    private Poll pendingPoll(DeviceAuthorization d, byte[] hash, Instant now) {
        boolean tooSoon = d.lastPolledAt != null && now.isBefore(d.lastPolledAt.plusSeconds(d.intervalSeconds));
        if (tooSoon && requests.slowedDown(hash, now, SLOW_DOWN_SECONDS)) {
            return new SlowDown(d.intervalSeconds + SLOW_DOWN_SECONDS);
        }
        if (!tooSoon) {
            requests.polled(hash, now);
        }
        // answered meanwhile: the next poll hears how
        return new Pending();
    }
}
