package dev.latch.auth.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latch.auth.key.KeySource.LoadedKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

/** The key states, and how the store picks the signing key and the JWKS from them. */
class SigningKeyStateTest {

    private static final Duration OUTLIVE = Duration.ofMinutes(16);
    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void aStoredKeyIsPublishedThenActiveThenRetiredThenWithdrawn() {
        SigningKey.Stored s = new SigningKey.Stored(T, T.plus(Duration.ofHours(1)));
        assertEquals(KeyState.PUBLISHED, s.stateAt(T.minusMillis(1), OUTLIVE));
        assertEquals(KeyState.ACTIVE, s.stateAt(T, OUTLIVE));
        assertEquals(KeyState.ACTIVE, s.stateAt(T.plus(Duration.ofMinutes(59)), OUTLIVE));
        assertEquals(KeyState.RETIRED, s.stateAt(T.plus(Duration.ofHours(1)), OUTLIVE));
        assertEquals(KeyState.RETIRED, s.stateAt(T.plus(Duration.ofMinutes(75)), OUTLIVE));
        assertEquals(KeyState.WITHDRAWN, s.stateAt(T.plus(Duration.ofMinutes(76)), OUTLIVE));
        assertEquals(
                KeyState.ACTIVE,
                new SigningKey.Stored(T, null).stateAt(T.plus(Duration.ofDays(3650)), OUTLIVE),
                "the newest key signs until a later one activates");
    }

    @Test
    void aMountedKeySignsOnlyWhileChosenAndIsAlwaysPublished() {
        Instant far = T.plus(Duration.ofDays(3650));
        assertEquals(KeyState.ACTIVE, new SigningKey.Mounted(true).stateAt(far, OUTLIVE));
        assertEquals(KeyState.PUBLISHED, new SigningKey.Mounted(false).stateAt(far, OUTLIVE));
    }

    @Test
    void theStoreSignsWithTheActiveKeyAndPublishesAllButWithdrawnOnes() {
        Instant now = Instant.now();
        FakeSource source = new FakeSource();
        source.add("withdrawn", now.minus(Duration.ofHours(3)));
        source.add("retired", now.minus(Duration.ofHours(2)));
        source.add("active", now.minus(Duration.ofMinutes(10)));
        source.add("pending", now.plus(Duration.ofMinutes(10)));
        // "retired" retires 10 minutes ago and its tokens live 15 minutes plus a minute of skew
        SigningKeyStore store = new SigningKeyStore(
                source, Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(30));
        store.onStart(null);

        assertEquals("active", store.active().kid());
        assertEquals(
                List.of("retired", "active", "pending"),
                store.published().stream().map(SigningKey::kid).toList());

        SigningKey rotated = store.rotate();
        assertEquals(KeyState.PUBLISHED, rotated.stateAt(Instant.now(), OUTLIVE));
        assertEquals("active", store.active().kid(), "a rotated key signs only after the publish lead");
    }

    @Test
    void withoutAnActivatedKeyNothingSigns() {
        FakeSource source = new FakeSource();
        source.add("pending", Instant.now().plus(Duration.ofMinutes(10)));
        SigningKeyStore store = new SigningKeyStore(
                source, Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(30));
        store.onStart(null);
        assertThrows(IllegalStateException.class, store::active);
    }

    /** Stored-key semantics without a database: each key retires when the next one activates. */
    private static final class FakeSource implements KeySource {
        private final List<String> kids = new ArrayList<>();
        private final List<Instant> activations = new ArrayList<>();
        private final PublicJsonWebKey jwk = KeyMaterial.generate("ES256");

        void add(String kid, Instant activation) {
            kids.add(kid);
            activations.add(activation);
        }

        @Override
        public List<LoadedKey> load() {
            List<LoadedKey> loaded = new ArrayList<>();
            for (int i = 0; i < kids.size(); i++) {
                Instant retires = i + 1 < kids.size() ? activations.get(i + 1) : null;
                SigningKey key =
                        new SigningKey(kids.get(i), "ES256", jwk, new SigningKey.Stored(activations.get(i), retires));
                loaded.add(new LoadedKey(key, jwk));
            }
            return loaded;
        }

        @Override
        public boolean changesWhileRunning() {
            return true;
        }

        @Override
        public String rotate(Instant activation) {
            add("rotated", activation);
            return "rotated";
        }
    }
}
