package dev.latch.auth.oauth2.device;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Every query on {@code device_authorizations}: by the device code's hash (primary key) or by the user code (unique
 * index). Each change of status is a conditional update, so that of two concurrent requests exactly one wins.
 */
@ApplicationScoped
public class DeviceAuthorizationRepository implements PanacheRepositoryBase<DeviceAuthorization, byte[]> {

    public Optional<DeviceAuthorization> findByHash(byte[] deviceCodeHash) {
        return findByIdOptional(deviceCodeHash);
    }

    public Optional<DeviceAuthorization> findByUserCode(String userCode) {
        return find("userCode", userCode).firstResultOptional();
    }

    public boolean userCodeTaken(String userCode) {
        return count("userCode", userCode) > 0;
    }

    /** Approves a pending, unexpired request; false when it was answered before or has expired. */
    public boolean approve(
            String userCode, UUID userId, UUID browserSessionId, String amr, Instant authTime, Instant now) {
        return update(
                        "status = ?1, userId = ?2, browserSessionId = ?3, amr = ?4, authTime = ?5 "
                                + "where userCode = ?6 and status = ?7 and expiresAt > ?8",
                        DeviceAuthorization.APPROVED,
                        userId,
                        browserSessionId,
                        amr,
                        authTime,
                        userCode,
                        DeviceAuthorization.PENDING,
                        now)
                == 1;
    }

    /** Denies a pending, unexpired request; false when it was answered before or has expired. */
    public boolean deny(String userCode, UUID userId, Instant now) {
        return update(
                        "status = ?1, userId = ?2 where userCode = ?3 and status = ?4 and expiresAt > ?5",
                        DeviceAuthorization.DENIED,
                        userId,
                        userCode,
                        DeviceAuthorization.PENDING,
                        now)
                == 1;
    }

    /** Marks an approved request used; false when another exchange did first (single use). */
    public boolean use(byte[] deviceCodeHash) {
        return update(
                        "status = ?1 where deviceCodeHash = ?2 and status = ?3",
                        DeviceAuthorization.USED,
                        deviceCodeHash,
                        DeviceAuthorization.APPROVED)
                == 1;
    }

    /** Records a poll of a pending request made on time. */
    public boolean polled(byte[] deviceCodeHash, Instant now) {
        return update(
                        "lastPolledAt = ?1 where deviceCodeHash = ?2 and status = ?3",
                        now,
                        deviceCodeHash,
                        DeviceAuthorization.PENDING)
                == 1;
    }

    /** Records a poll of a pending request made too soon: the interval grows by {@code seconds}. */
    public boolean slowedDown(byte[] deviceCodeHash, Instant now, int seconds) {
        return update(
                        "lastPolledAt = ?1, intervalSeconds = intervalSeconds + ?2 "
                                + "where deviceCodeHash = ?3 and status = ?4",
                        now,
                        seconds,
                        deviceCodeHash,
                        DeviceAuthorization.PENDING)
                == 1;
    }

    /** Requests expired before {@code before}: long enough ago that a late poll is only an unknown code. */
    public long deleteExpired(Instant before) {
        return delete("expiresAt < ?1", before);
    }
}
