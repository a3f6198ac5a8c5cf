package dev.latch.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts this module's packaged application ({@code target/quarkus-app/quarkus-run.jar}) in the
 * production profile with exactly the given environment, for tests that a misconfigured production
 * start is refused. The process is always ended, and its output kept under {@code target/}.
 */
public final class ProductionStart {

    public record Outcome(boolean exited, int exitCode, String output) {}

    /** A service that started: its port, its output so far; {@link #close()} ends it. */
    public record Running(Process process, int port, Path log) implements AutoCloseable {

        public String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^\\s:]+:(\\d+)");

    private ProductionStart() {}

    /**
     * Starts the packaged application as {@link #run} does and waits until it listens.
     *
     * @throws IllegalStateException with its output when it exits or does not listen within {@code timeout}
     */
    public static Running start(String name, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        return start(Path.of("target", "quarkus-app", "quarkus-run.jar"), name, env, timeout);
    }

    /** As {@link #start(String, Map, Duration)}, for another module's packaged application (e.g. auth-service's jar). */
    public static Running start(Path jar, String name, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Path.of("target", "production-start-" + name + ".log");
        Process process = launch(jar, log, env);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = LISTENING.matcher(output);
            if (m.find()) {
                return new Running(process, Integer.parseInt(m.group(1)), log);
            }
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + output);
            }
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
                "the service did not listen within " + timeout + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    public static Outcome run(String name, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Path.of("target", "production-start-" + name + ".log");
        Process process = launch(Path.of("target", "quarkus-app", "quarkus-run.jar"), log, env);
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(
                    exited, exited ? process.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process launch(Path jar, Path log, Map<String, String> env) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run after the package phase");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("QUARKUS_PROFILE", "prod");
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().putAll(env);
        return builder.start();
    }
}
