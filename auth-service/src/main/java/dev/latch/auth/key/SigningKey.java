package dev.latch.auth.key;

import java.time.Duration;
import java.time.Instant;
import org.jose4j.jwk.PublicJsonWebKey;

/** One signing key (public half) and the schedule that decides its {@link KeyState}. */
public record SigningKey(String kid, String algorithm, PublicJsonWebKey jwk, Schedule schedule) {

    /**
     * @param tokensOutlive how long after its retirement a token the key signed can still verify
     *     (token lifetime plus clock skew)
     */
    public KeyState stateAt(Instant now, Duration tokensOutlive) {
        return schedule.stateAt(now, tokensOutlive);
    }

    /** When a key signs. */
    public sealed interface Schedule permits Mounted, Stored {
        KeyState stateAt(Instant now, Duration tokensOutlive);
    }

    /**
     * A key from the mounted directory: the one {@code latch.auth.keys.active} chooses signs, the others only
     * verify (older tokens, or a key published ahead of its switch). The operator switches; nothing here is timed.
     */
    public record Mounted(boolean chosen) implements Schedule {
        @Override
        public KeyState stateAt(Instant now, Duration tokensOutlive) {
            return chosen ? KeyState.ACTIVE : KeyState.PUBLISHED;
        }
    }

    /**
     * A generated key stored in the database: published from its creation, it signs from {@code activatesAt}
     * until the next stored key activates ({@code retiresAt}, null while no later key exists).
     */
    public record Stored(Instant activatesAt, Instant retiresAt) implements Schedule {
        @Override
        public KeyState stateAt(Instant now, Duration tokensOutlive) {
            if (activatesAt.isAfter(now)) {
                return KeyState.PUBLISHED;
            }
            if (retiresAt == null || retiresAt.isAfter(now)) {
                return KeyState.ACTIVE;
            }
            return retiresAt.plus(tokensOutlive).isAfter(now) ? KeyState.RETIRED : KeyState.WITHDRAWN;
        }
    }
}
