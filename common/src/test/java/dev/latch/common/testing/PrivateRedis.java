package dev.latch.common.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A redis-server of a test's own on a free port (the machine's Redis on 6379 is shared and is never
 * touched): no persistence, so a stop loses everything, as a crashed Redis does. {@link #kill()} and
 * {@link #shutdown()} really stop it; {@link #start()} brings it back empty on the same port. The
 * process is killed when the JVM exits, also after a failed test; one left by a killed JVM (its pid in
 * {@code redis.pid}) is killed at the next start.
 */
public final class PrivateRedis {

    private final Path dir;
    private final int port;
    private Process process;

    private PrivateRedis(Path dir, int port) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
    }

    /** A started server keeping its files (log, pid) in {@code dir}. */
    public static PrivateRedis start(Path dir) {
        PrivateRedis redis = new PrivateRedis(dir, PrivatePostgres.freePort());
        redis.killLeftover();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::kill, "private-redis-stop"));
        redis.start();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port} */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the stopped server (empty) on its port; returns once it answers PING. */
    public synchronized void start() {
        if (running()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(
                            "redis-server",
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--dir",
                            dir.toString(),
                            "--daemonize",
                            "no",
                            "--pidfile",
                            dir.resolve("redis.pid").toString(),
                            "--logfile",
                            dir.resolve("redis.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server could not be started (is it installed?)", e);
        }
        Process started = process;
        try {
            await("redis-server answering on port " + port)
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("redis-server exited", () -> !started.isAlive())
                    .ignoreException(IllegalStateException.class)
                    .until(() -> command("PING").equals("+PONG"));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("redis-server did not start on port " + port + ": " + log(), e);
        }
    }

    /** SIGKILL: the server vanishes at once, every connection reset (what a crashed or evicted pod does). */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit();
    }

    /** {@code SHUTDOWN NOSAVE}: the server closes its connections and exits, saving nothing. */
    public synchronized void shutdown() {
        if (!running()) {
            return;
        }
        try {
            command("SHUTDOWN", "NOSAVE");
        } catch (IllegalStateException closedWhileAnswering) {
            // the server closes the connection instead of answering
        }
        awaitExit();
    }

    /** Sends one command to this server; the raw answer as {@link RedisProbe#command} gives it. */
    public String command(String... args) {
        return RedisProbe.command("127.0.0.1", port, args);
    }

    /** True when a TCP connection to the port is refused (nothing listens). */
    public boolean refusesConnections() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void killLeftover() {
        Path pidFile = dir.resolve("redis.pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid)
                        .filter(h ->
                                h.info().command().map(c -> c.contains("redis")).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
                Files.deleteIfExists(pidFile);
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to clean up
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("redis.log");
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()))
                    + (Files.exists(dir.resolve("redis.out")) ? Files.readString(dir.resolve("redis.out")) : "");
        } catch (IOException e) {
            return "";
        }
    }
}
