package dev.latch.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.SecretLedger;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Sustained load on the three packaged services ({@link SoakStack}): each path of the mix calibrated alone, then all
 * of them at once, open loop, at 70 % of that capacity ({@link SoakDriver}); zero errors, and heap after GC, RSS,
 * file descriptors, threads, PostgreSQL and Redis connections flat ({@link SoakReport}'s bounds). One minute in
 * {@code ./mvnw verify}; {@code bench/soak.sh} runs the same test for ten ({@code -Dsoak.duration=10m}). The table
 * goes to stdout and {@code target/soak.md}; the services' logs stay in {@code target/production-start-soak-*.log}
 * and are checked here for every secret the soak used, as {@code LogHygieneTest} checks the other modules' logs.
 */
class SoakTest {

    static {
        // idle pooled connections close after 15 s (the JDK's default keeps them 20 min): the services' descriptors
        // then follow the load instead of ratcheting up to the largest burst ever seen
        System.setProperty("jdk.httpclient.keepalive.timeout", "15");
    }

    @Test
    void mixedTrafficAtSeventyPercentOfCapacityHasNoErrorAndFlatResources() throws Exception {
        Assumptions.assumeTrue(
                SoakStack.packaged(), "the services are not packaged (./mvnw verify packages them before this module)");
        Duration duration = duration("soak.duration", Duration.ofMinutes(1));
        boolean longRun = duration.compareTo(Duration.ofMinutes(5)) >= 0;
        SoakDriver.Settings settings = new SoakDriver.Settings(
                duration("soak.calibration-warmup", Duration.ofSeconds(longRun ? 3 : 2)),
                duration("soak.calibration-window", Duration.ofSeconds(longRun ? 5 : 2)),
                duration("soak.warmup", Duration.ofSeconds(longRun ? 60 : 5)),
                duration,
                duration("soak.sample-every", Duration.ofSeconds(longRun ? 15 : 5)),
                Double.parseDouble(System.getProperty("soak.load", "0.7")));
        Files.deleteIfExists(SecretLedger.FILE);

        SoakDriver.Result result;
        ExecutorService clientExecutor = Executors.newFixedThreadPool(4);
        List<ResourceProbe> probes = new ArrayList<>();
        try (SoakStack stack = new SoakStack()) {
            long t0 = System.nanoTime();
            stack.start();
            long t1 = System.nanoTime();
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2))
                    .executor(clientExecutor)
                    .build();
            Traffic traffic = new Traffic(stack);
            traffic.prepare(http, 10);
            probes.add(new ResourceProbe(
                    "auth-service",
                    stack.auth.process().pid(),
                    stack.auth.port(),
                    SoakStack.AUTH_DB,
                    SoakStack.AUTH_REDIS_DB));
            probes.add(new ResourceProbe(
                    "identity-provider-service",
                    stack.broker.process().pid(),
                    stack.broker.port(),
                    SoakStack.IDP_DB,
                    SoakStack.IDP_REDIS_DB));
            probes.add(new ResourceProbe(
                    "storage-service", stack.storage.process().pid(), stack.storage.port(), SoakStack.STORAGE_DB, -1));
            long t2 = System.nanoTime();
            result = new SoakDriver(http, traffic, probes).run(settings);
            System.out.printf(
                    Locale.ROOT,
                    "soak phases: services started in %.1f s, users/PATs/provider/files in %.1f s, "
                            + "calibration and soak in %.1f s%n",
                    (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9,
                    (System.nanoTime() - t2) / 1e9);
        } finally {
            probes.forEach(ResourceProbe::close);
            clientExecutor.shutdownNow();
        }

        SoakReport report = new SoakReport(result);
        String md = report.markdown();
        System.out.println(md);
        Files.writeString(Path.of("target", "soak.md"), md, StandardCharsets.UTF_8);
        Files.writeString(Path.of("target", "soak-samples.csv"), report.csv(), StandardCharsets.UTF_8);
        List<String> leaks = leaksInOwnLogs();
        List<String> failures = new ArrayList<>(report.failures());
        failures.addAll(leaks);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The services' logs of this soak against the secrets it used (this module's ledger) and the shapes of secrets. */
    private static List<String> leaksInOwnLogs() throws IOException {
        LogHygieneTest.Secrets secrets = new LogHygieneTest.Secrets();
        for (String line : Files.readAllLines(SecretLedger.FILE, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                secrets.add(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        List<String> leaks = new ArrayList<>();
        long lines = 0;
        try (Stream<Path> logs = Files.list(Path.of("target"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().matches("production-start-soak-.*\\.log"))
                    .sorted()
                    .toList()) {
                int n = 0;
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    LogHygieneTest.check(line, log.getFileName() + ":" + ++n, secrets, leaks);
                }
                lines += n;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "soak log hygiene: %d lines checked against %d secrets, %d leak(s)%n",
                lines,
                secrets.size(),
                leaks.size());
        return leaks.subList(0, Math.min(40, leaks.size()));
    }

    /** {@code PT10M}, or {@code 10m}, {@code 90s}, {@code 1h}. */
    private static Duration duration(String property, Duration fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        value = value.trim().toLowerCase(Locale.ROOT);
        if (value.matches("\\d+[smh]")) {
            long n = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        return Duration.parse(value.toUpperCase(Locale.ROOT));
    }
}
