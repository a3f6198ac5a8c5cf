package dev.latch.auth.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latch.auth.key.KeySource.LoadedKey;
import dev.latch.common.error.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mounted directory: the chosen key first and signing, the others published only; never written. */
class DirectoryKeySourceTest {

    @TempDir
    Path dir;

    @Test
    void theChosenKeyComesFirstAndAloneSigns() throws Exception {
        Map<String, String> kid = new HashMap<>();
        for (String name : List.of("a", "b", "c")) {
            PublicJsonWebKey jwk = KeyMaterial.generate("ES256");
            kid.put(name, jwk.getKeyId());
            Files.writeString(dir.resolve(name + ".jwk"), jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        }
        Files.writeString(dir.resolve(".hidden.jwk"), "{}");

        List<LoadedKey> chosenB = new DirectoryKeySource(dir, Optional.of("b")).load();
        assertEquals(List.of(kid.get("b"), kid.get("a"), kid.get("c")), kids(chosenB));
        assertEquals(
                List.of(KeyState.ACTIVE, KeyState.PUBLISHED, KeyState.PUBLISHED),
                chosenB.stream()
                        .map(k -> k.key().stateAt(Instant.now(), Duration.ZERO))
                        .toList());
        // the last file by name when none is chosen; a kid chooses as well as a file name
        assertEquals(
                List.of(kid.get("c"), kid.get("a"), kid.get("b")),
                kids(new DirectoryKeySource(dir, Optional.empty()).load()));
        assertEquals(
                List.of(kid.get("a"), kid.get("b"), kid.get("c")),
                kids(new DirectoryKeySource(dir, Optional.of(kid.get("a"))).load()));
    }

    @Test
    void anUnknownChoiceAnEmptyDirectoryAndRotationAreRefused() throws Exception {
        IllegalStateException empty =
                assertThrows(IllegalStateException.class, () -> new DirectoryKeySource(dir, Optional.empty()).load());
        assertEquals("no .pem, .json or .jwk signing key in " + dir, empty.getMessage());

        Files.writeString(
                dir.resolve("a.json"),
                KeyMaterial.generate("EdDSA").toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        IllegalStateException unknown =
                assertThrows(IllegalStateException.class, () -> new DirectoryKeySource(dir, Optional.of("z")).load());
        assertEquals("latch.auth.keys.active=z names no key in " + dir, unknown.getMessage());

        ProblemException rotation = assertThrows(
                ProblemException.class, () -> new DirectoryKeySource(dir, Optional.empty()).rotate(Instant.now()));
        assertEquals(409, rotation.status());
    }

    private static List<String> kids(List<LoadedKey> keys) {
        return keys.stream().map(k -> k.key().kid()).toList();
    }
}
