package dev.latch.auth.key;

import dev.latch.common.error.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Keys from a directory of JWK/PEM files (a mounted Kubernetes Secret). The operator rotates by adding a file
 * and later switching {@code latch.auth.keys.active}; the service never writes here.
 */
final class DirectoryKeySource implements KeySource {

    private static final Logger LOG = Logger.getLogger(DirectoryKeySource.class);

    private final Path dir;
    private final Optional<String> active;

    DirectoryKeySource(Path dir, Optional<String> active) {
        this.dir = dir;
        this.active = active;
    }

    /** The chosen key first, then the others by file name. */
    @Override
    public List<LoadedKey> load() {
        List<PublicJsonWebKey> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // Kubernetes Secret volumes hold ..data links
                }
                String text = Files.readString(file);
                PublicJsonWebKey jwk;
                if (name.endsWith(".pem")) {
                    jwk = KeyMaterial.fromPem(text);
                } else if (name.endsWith(".json") || name.endsWith(".jwk")) {
                    jwk = KeyMaterial.fromJwkJson(text);
                } else {
                    continue;
                }
                found.add(jwk);
                names.add(name.substring(0, name.lastIndexOf('.')));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read signing keys from " + dir + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no .pem, .json or .jwk signing key in " + dir);
        }
        int chosen = chosenIndex(found, names);
        List<LoadedKey> loaded = new ArrayList<>();
        loaded.add(loaded(found.get(chosen), true));
        for (int i = 0; i < found.size(); i++) {
            if (i != chosen) {
                loaded.add(loaded(found.get(i), false));
            }
        }
        LOG.infof(
                "signing keys loaded from %s: %d key(s), active kid %s",
                dir, loaded.size(), found.get(chosen).getKeyId());
        return List.copyOf(loaded);
    }

    /** {@code latch.auth.keys.active} names a file (without extension) or a kid; default the last file by name. */
    private int chosenIndex(List<PublicJsonWebKey> found, List<String> names) {
        if (active.isEmpty()) {
            return found.size() - 1;
        }
        String wanted = active.get();
        int index = -1;
        for (int i = 0; i < found.size(); i++) {
            if (names.get(i).equals(wanted) || found.get(i).getKeyId().equals(wanted)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalStateException("latch.auth.keys.active=" + wanted + " names no key in " + dir);
        }
        return index;
    }

    private static LoadedKey loaded(PublicJsonWebKey jwk, boolean chosen) {
        return new LoadedKey(
                new SigningKey(
                        jwk.getKeyId(),
                        jwk.getAlgorithm(),
                        KeyMaterial.publicOnly(jwk),
                        new SigningKey.Mounted(chosen)),
                jwk);
    }

    @Override
    public boolean changesWhileRunning() {
        return false;
    }

    @Override
    public String rotate(Instant activation) {
        throw new ProblemException(
                409,
                "Conflict",
                "Signing keys are managed in " + dir + ": add a key file and switch latch.auth.keys.active.");
    }
}
