package dev.latch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import dev.latch.common.testing.Chromium;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/run-local.sh and deploy/demo.sh as a new user meets them, on ports, databases and a run
 * directory of their own (so a local run of this machine is left alone): start, every service up, the
 * local ADMIN, no secret on any command line, 127.0.0.1 only, the demo from sign-up to an S3 upload, a
 * browser signed in through the local provider, Ctrl-C stops everything, logs of the previous start
 * kept, a broken storage backend reported while the run stays up, --reset drops what the run made, and
 * a missing tool is named.
 */
class LocalRunTest {

    private static final Path REPO =
            Path.of(System.getProperty("latch.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Path RUN_DIR = Path.of("target", "local-run").toAbsolutePath();
    private static final int OFFSET = 1000;
    private static final String SUFFIX = "_localrun_test";
    private static final int[] PORTS = {8081 + OFFSET, 8082 + OFFSET, 8083 + OFFSET, 8084 + OFFSET, 8090 + OFFSET};
    private static final String[] SERVICES = {"auth-service", "identity-provider-service", "storage-service"};

    private Process run;
    private Path runOutput;

    @AfterEach
    void stop() throws Exception {
        if (run != null && run.isAlive()) {
            interrupt(run);
            if (!run.waitFor(20, TimeUnit.SECONDS)) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + run.pid())
                        .start()
                        .waitFor();
            }
        }
    }

    @Test
    void theLocalRunStartsRunsTheDemoStopsAndResets() throws Exception {
        assertEquals(0, script(List.of("deploy/run-local.sh", "--reset", "--yes"), Map.of()).exitCode, "reset before");

        String first = startAndWait("first");
        for (String svc : SERVICES) {
            assertTrue(
                    first.matches("(?s).*" + svc + " +http://localhost:\\d+ +ready.*"), svc + " not ready:\n" + first);
            String log = Files.readString(RUN_DIR.resolve(svc + ".log"));
            assertTrue(log.contains("Listening on: http://127.0.0.1:"), svc + " listens beyond this machine:\n" + log);
            assertFalse(log.contains("already registered"), svc + " warns at start:\n" + log);
        }
        assertTrue(first.contains("ADMIN: user 'admin', password in deploy/target/local-run/admin-password"), first);
        assertNoSecretOnACommandLine();

        Outcome demo = script(
                List.of("deploy/demo.sh"),
                Map.of(
                        "LATCH_AUTH_URL",
                        "http://localhost:" + PORTS[0],
                        "LATCH_STORAGE_URL",
                        "http://localhost:" + PORTS[2]));
        assertEquals(0, demo.exitCode, demo.output);
        assertTrue(demo.output.contains("backend S3") && demo.output.contains("All steps passed."), demo.output);
        signInThroughTheLocalProvider();

        long stopStarted = System.nanoTime();
        interrupt(run);
        assertTrue(run.waitFor(15, TimeUnit.SECONDS), "Ctrl-C did not stop the local run");
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStarted);
        awaitPortsFree();
        System.out.printf("local run stopped in %d ms%n", stopTook.toMillis());

        // a second start keeps the first start's logs and finds its ADMIN; without its S3 the storage
        // backend is broken, and the run stays up saying which setting to fix
        String second =
                startAndWait("second", Map.of("LATCH_LOCAL_S3", "false", "LATCH_STORAGE_DEFAULT_BACKEND", "S3"));
        assertTrue(Files.exists(RUN_DIR.resolve("auth-service.log.1")), "the first start's log was overwritten");
        assertTrue(second.contains("ADMIN: user 'admin'"), second);
        assertTrue(
                second.matches(
                        "(?s).*storage-service +http://localhost:\\d+ +started, NOT READY:\n +storage backend: .*setting=s3\\.secretAccessKey; problem=no S3 credentials.*"),
                second);
        assertTrue(run.isAlive(), "the local run stopped although only storage-service was not ready");
        interrupt(run);
        assertTrue(run.waitFor(15, TimeUnit.SECONDS));
        awaitPortsFree();

        Outcome reset = script(List.of("deploy/run-local.sh", "--reset", "--yes"), Map.of());
        assertEquals(0, reset.exitCode, reset.output);
        assertEquals(0, databasesLeft(), "the reset left databases behind");
        assertFalse(Files.exists(RUN_DIR), "the reset left the run directory");
    }

    @Test
    void aMissingToolIsNamed() throws Exception {
        // every command of this machine but pg_isready
        Path bin = Files.createDirectories(
                Path.of("target", "path-without-pg_isready").toAbsolutePath());
        try (Stream<Path> commands = Files.list(Path.of("/usr/bin"))) {
            for (Path command : (Iterable<Path>) commands::iterator) {
                Path link = bin.resolve(command.getFileName());
                if (!command.getFileName().toString().equals("pg_isready")
                        && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, command);
                }
            }
        }
        Outcome outcome = script(List.of("deploy/run-local.sh"), Map.of("PATH", bin.toString()));
        assertTrue(outcome.exitCode != 0, outcome.output);
        assertTrue(outcome.output.contains("pg_isready is missing on this machine"), outcome.output);
    }

    private String startAndWait(String name) throws Exception {
        return startAndWait(name, Map.of());
    }

    /** The broker's landing page, the local provider's login form, back on the page signed in. */
    private void signInThroughTheLocalProvider() throws Exception {
        if (Chromium.executable() == null && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            System.out.println("no Chromium here: the browser sign-in through the local run is not checked");
            return;
        }
        Chromium.require();
        String page = "http://localhost:" + PORTS[1] + "/";
        List<String> failed = new CopyOnWriteArrayList<>();
        try (Playwright playwright = Chromium.playwright();
                Browser browser = Chromium.launch(playwright)) {
            BrowserContext context = Chromium.localContext(browser, 30_000);
            Page tab = context.newPage();
            tab.onResponse(r -> {
                // signed out, the page's first refresh is a 401 by design
                if (r.status() >= 400 && !r.url().endsWith("/v1/auth/refresh")) {
                    failed.add(r.status() + " " + r.url());
                }
            });
            tab.navigate(page);
            tab.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Continue with Local OIDC provider"))
                    .click();
            tab.locator("input[name=username]").fill("dana");
            tab.locator("input[type=submit]").click();
            tab.waitForURL(page);
            tab.locator("#signed-in").waitFor();
            Files.createDirectories(Chromium.SCREENSHOTS);
            tab.screenshot(
                    new Page.ScreenshotOptions().setPath(Chromium.SCREENSHOTS.resolve("local-run-signed-in.png")));
            assertFalse(tab.locator("#account-name").textContent().isBlank());
        }
        assertEquals(List.of(), failed, "answers >= 400 in the browser");
    }

    private String startAndWait(String name, Map<String, String> extraEnv) throws Exception {
        runOutput = Path.of("target", "run-local-" + name + ".out").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "deploy/run-local.sh")
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(runOutput.toFile());
        builder.environment().putAll(runEnvironment());
        builder.environment().putAll(extraEnv);
        run = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.readString(runOutput, StandardCharsets.UTF_8);
            if (output.contains("Latch is running.")) {
                return output;
            }
            if (run.waitFor(500, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("run-local.sh ended with " + run.exitValue() + ":\n" + output);
            }
        }
        throw new AssertionError(
                "run-local.sh did not get ready:\n" + Files.readString(runOutput, StandardCharsets.UTF_8));
    }

    private Map<String, String> runEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("LATCH_PORT_OFFSET", String.valueOf(OFFSET));
        env.put("LATCH_DATABASE_SUFFIX", SUFFIX);
        env.put("LATCH_RUN_DIR", RUN_DIR.toString());
        env.put("LATCH_REDIS_DB", "2");
        env.put("MAVEN_ARGS", "-B -q -ntp");
        return env;
    }

    private void assertNoSecretOnACommandLine() throws IOException {
        List<String> secrets = new ArrayList<>(List.of("latch-dev-secret", "latch-idp-secret", "latch-local-secret"));
        try (Stream<Path> files = Files.list(RUN_DIR)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".key") || name.equals("admin-password")) {
                    secrets.add(Files.readString(f).trim());
                }
            }
        }
        List<String> seen = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().matches("\\d+")) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (!fields[2].equals(String.valueOf(run.pid()))) {
                        continue; // not in the run's process group
                    }
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    seen.add(cmdline);
                    for (String secret : secrets) {
                        assertFalse(cmdline.contains(secret), "a secret on the command line of: " + cmdline);
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        assertTrue(
                seen.stream().filter(c -> c.contains("quarkus-run.jar")).count() == 3, "the three services: " + seen);
    }

    private void interrupt(Process process) throws Exception {
        new ProcessBuilder("kill", "-INT", "--", "-" + process.pid())
                .inheritIO()
                .start()
                .waitFor();
    }

    private void awaitPortsFree() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (int port : PORTS) {
            while (listening(port)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("port " + port + " is still in use after the stop");
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long databasesLeft() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE '%" + SUFFIX + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Outcome(int exitCode, String output) {}

    private Outcome script(List<String> command, Map<String, String> extraEnv) throws Exception {
        Path out = Files.createTempFile(Path.of("target"), "script-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        builder.environment().putAll(runEnvironment());
        builder.environment().putAll(extraEnv);
        Process p = builder.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end:\n" + Files.readString(out));
        }
        return new Outcome(p.exitValue(), Files.readString(out));
    }
}
