package dev.latch.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts this module's packaged application ({@code target/quarkus-app/quarkus-run.jar}) in the
 * production profile with exactly the given environment, for tests that a misconfigured production
 * start is refused. The process is always ended, and its output kept under {@code target/}.
 */
public final class ProductionStart {

    public record Outcome(boolean exited, int exitCode, String output) {
    }

    private ProductionStart() {
    }

    public static Outcome run(String name, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run after the package phase");
        }
        Path log = Path.of("target", "production-start-" + name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("QUARKUS_PROFILE", "prod");
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(exited, exited ? process.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
