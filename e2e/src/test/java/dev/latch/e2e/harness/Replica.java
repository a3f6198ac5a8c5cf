package dev.latch.e2e.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One replica of a service: its packaged jar ({@code quarkus-run.jar}) as a separate OS process in the production
 * profile, configured only through its environment, on a port fixed when the stack is planned (so the load balancer
 * knows it before the replica starts, and a restarted replica comes back where the balancer expects it). Output is
 * appended to {@code log}, across restarts.
 */
public final class Replica {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private final List<String> jvmOptions;
    private volatile Process process;
    private String readyPath = "/q/health/ready";
    private int readyStatus = 200;

    public Replica(String name, Path jar, int port, Map<String, String> env, Path log, List<String> jvmOptions) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.env = new LinkedHashMap<>(env);
        this.log = log;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** For an application without health checks: ready when {@code path} answers {@code status}. */
    public Replica readyWhen(String path, int status) {
        this.readyPath = path;
        this.readyStatus = status;
        return this;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify builds them"
                    + " before this module)");
        }
        Files.createDirectories(log.getParent());
        Files.writeString(
                log,
                "==== starting " + name + " on port " + port + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("QUARKUS_PROFILE", "prod");
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        process = builder.start();
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 (or what {@link #readyWhen} says); fails with the end of the log
     * when the process ends first.
     */
    public void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(
                        name + " exited before it was ready; its log " + log + " ends:\n" + tail(60));
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(url().resolve(readyPath))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == readyStatus) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            p.waitFor(250, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(
                name + " was not ready within " + READY_TIMEOUT + "; its log " + log + " ends:\n" + tail(60));
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL, as a node that dies: no shutdown, no draining. */
    public synchronized void kill() throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    public synchronized void stop() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (" + url() + ", log " + log + ")";
    }
}
