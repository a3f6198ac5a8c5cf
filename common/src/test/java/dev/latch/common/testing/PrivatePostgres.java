package dev.latch.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, to stop and restart for real (the machine's server on 5432 is
 * shared and is never touched). The cluster is created once under {@code target/} (initdb without
 * fsync) and reused by later runs; each start takes a free port, and a restart keeps it. The server
 * is stopped when the JVM exits, also after a failed test; a server left by a killed JVM is stopped
 * at the next start. Binaries: the newest {@code /usr/lib/postgresql/N/bin}, else {@code PATH}. Run
 * as root, the server runs as the {@code postgres} user (PostgreSQL refuses root).
 */
public final class PrivatePostgres {

    public enum StopMode {
        /** Clients are disconnected, transactions rolled back, a checkpoint written (what a rolling restart does). */
        FAST,
        /** Every server process killed at once: crash recovery at the next start. */
        IMMEDIATE
    }

    public static final String USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private PrivatePostgres(Path dataDir, int port) {
        this.dataDir = dataDir.toAbsolutePath();
        this.bin = binaries();
        this.port = port;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /**
     * A started server with its cluster in {@code dataDir} (created when missing), on a free port.
     * Stopped at JVM exit at the latest.
     */
    public static PrivatePostgres start(Path dataDir) {
        PrivatePostgres pg = new PrivatePostgres(dataDir, freePort());
        pg.initIfMissing();
        pg.stopLeftover();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stopQuietly, "private-postgres-stop"));
        pg.start();
        return pg;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public synchronized boolean running() {
        return running;
    }

    /** Starts the stopped server on its port and waits until it accepts connections. */
    public synchronized void start() {
        if (running) {
            return;
        }
        run(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-l",
                dataDir.resolve("server.log").toString(),
                "-o",
                "-p " + port,
                "-w",
                "-t",
                "60",
                "start"));
        running = true;
    }

    /** Stops the server for real ({@code pg_ctl stop -m fast|immediate}); returns once it is down. */
    public synchronized void stop(StopMode mode) {
        if (!running) {
            return;
        }
        run(List.of(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-m",
                mode.name().toLowerCase(java.util.Locale.ROOT),
                "-w",
                "-t",
                "60",
                "stop"));
        running = false;
    }

    /** Stop, then start on the same port. */
    public synchronized void restart(StopMode mode) {
        stop(mode);
        start();
    }

    /** Creates {@code database} when it does not exist yet. */
    public void createDatabase(String database) {
        PostgresDatabaseResource.createIfMissing(jdbcUrl("postgres"), USER, database);
    }

    /** A plain JDBC connection to one of its databases (arranging and checking state). */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    private void stopQuietly() {
        try {
            stop(StopMode.IMMEDIATE);
        } catch (RuntimeException e) {
            System.err.println("private PostgreSQL not stopped: " + e.getMessage());
        }
    }

    /** A server a killed JVM left running on this cluster: stopped, whatever its port. */
    private void stopLeftover() {
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            try {
                run(List.of(
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        dataDir.toString(),
                        "-m",
                        "immediate",
                        "-w",
                        "-t",
                        "30",
                        "stop"));
            } catch (RuntimeException e) {
                // a stale pid file without a server: pg_ctl start copes with it
            }
        }
    }

    private void initIfMissing() {
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        try {
            deleteRecursively(dataDir);
            Files.createDirectories(dataDir);
            if (asPostgresUser) {
                UserPrincipalLookupService users = dataDir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dataDir, users.lookupPrincipalByName(USER));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of(
                bin.resolve("initdb").toString(),
                "-D",
                dataDir.toString(),
                "-U",
                USER,
                "--auth=trust",
                "--no-sync",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions"));
        // fsync off: nothing here must survive a machine crash; synchronous_commit stays on, so a commit the
        // server acknowledged survives even an immediate stop (the restart tests check exactly that)
        String settings = """

                # private test server (PrivatePostgres)
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                fsync = off
                full_page_writes = off
                max_connections = 100
                shared_buffers = 32MB
                """;
        try {
            Files.writeString(
                    dataDir.resolve("postgresql.conf"),
                    settings,
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("private-postgres", ".out");
            try {
                Process p = new ProcessBuilder(full)
                        .directory(dataDir.getParent().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                Instant deadline = Instant.now().plus(COMMAND_TIMEOUT);
                if (!p.waitFor(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("timed out: " + String.join(" ", full));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", full) + " failed (" + p.exitValue() + "): "
                            + Files.readString(output) + tail(dataDir.resolve("server.log")));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) {
        try {
            if (!Files.isReadable(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\nserver.log: " + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** The newest installed server binaries ({@code /usr/lib/postgresql/N/bin}), else the directory of {@code pg_ctl} on PATH. */
    static Path binaries() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(
                                v -> Integer.parseInt(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "pg_ctl")) && Files.isExecutable(Path.of(dir, "initdb"))) {
                return Path.of(dir);
            }
        }
        throw new IllegalStateException(
                "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or PATH");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
