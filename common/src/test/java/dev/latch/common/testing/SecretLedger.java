package dev.latch.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The secrets a test suite used — passwords, client and provider secrets, refresh tokens,
 * authorization codes — written to {@code target/secret-ledger.txt} of the module under test, one
 * {@code kind<TAB>value} per line. The build's last module (bench's {@code LogHygieneTest}) reads every
 * module's ledger and fails when any of these values appears in a log line any service wrote.
 */
public final class SecretLedger {

    /** Where a module's tests write (the working directory of surefire and failsafe is the module). */
    public static final Path FILE = Path.of("target", "secret-ledger.txt");

    private SecretLedger() {}

    /** Records one secret; values shorter than 8 characters are too common to look for and are skipped. */
    public static synchronized void record(String kind, String value) {
        if (value == null || value.length() < 8 || value.indexOf('\n') >= 0 || value.indexOf('\t') >= 0) {
            return;
        }
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(
                    FILE,
                    kind + "\t" + value + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
