package dev.latch.common.testing;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records every answer a service gives during its {@code @QuarkusTest} run — whatever client the test
 * used (rest-assured, {@code java.net.http}, a raw socket) — as {@code method TAB path TAB status}
 * lines in {@code target/observed-responses/<build>-<pid>.tsv}, for {@link OpenApiContract}. A service
 * registers it with a test bean: {@code void record(@Observes Filters filters) { ObservedResponses.register(filters); }}.
 * <p>
 * {@code <build>} is the process id of the Maven JVM that forked this test JVM: every surefire execution
 * of one build (a module may have several, each in its own JVM) shares it. The first answer recorded in a
 * test JVM removes the files of other builds, so a document is only ever compared with what the current
 * build observed. The packaged application of the {@code *IT} run never records: the test bean is not
 * part of it.
 */
public final class ObservedResponses {

    /** Where the surefire run of this module writes (the module is the working directory of its tests). */
    public static final Path DIRECTORY = Path.of("target", "observed-responses");

    private static final String CLEANED = "latch.observed-responses.cleaned";
    /** Runs first: answers refused by every other filter (413, 401) are recorded too. */
    private static final int PRIORITY = Integer.MAX_VALUE - 1;

    private ObservedResponses() {}

    public static void register(Filters filters) {
        filters.register(ObservedResponses::observe, PRIORITY);
    }

    private static void observe(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String method = request.method().name();
        String path = path(rc);
        rc.addHeadersEndHandler(v -> append(method, path, rc.response().getStatusCode()));
        rc.next();
    }

    /**
     * The path as the router matched it: dot segments resolved and unreserved escapes decoded (a request for
     * {@code /v1/users/me/tokens/..} is answered by {@code /v1/users/me}), the raw path when it has no normal form.
     */
    private static String path(RoutingContext rc) {
        try {
            String normalized = rc.normalizedPath();
            return normalized != null ? normalized : rc.request().path();
        } catch (RuntimeException e) {
            return rc.request().path();
        }
    }

    private static void append(String method, String path, int status) {
        String line = method + "\t" + clean(path) + "\t" + status + "\n";
        try {
            Path file = file();
            synchronized (ObservedResponses.class) {
                Files.writeString(
                        file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This JVM's file; the first call of a JVM (across application restarts) removes the files of other builds. */
    private static Path file() throws IOException {
        String build = build() + "-";
        Path file = DIRECTORY.resolve(build + ProcessHandle.current().pid() + ".tsv");
        synchronized (System.getProperties()) {
            if (System.getProperty(CLEANED) == null) {
                Files.createDirectories(DIRECTORY);
                try (Stream<Path> old = Files.list(DIRECTORY)) {
                    for (Path p : old.filter(p -> !p.getFileName().toString().startsWith(build))
                            .toList()) {
                        Files.delete(p);
                    }
                }
                System.setProperty(CLEANED, file.toString());
            }
        }
        return file;
    }

    /** The process id of the nearest ancestor that is a JVM: the Maven build that forked this test JVM. */
    private static long build() {
        ProcessHandle process = ProcessHandle.current().parent().orElse(null);
        while (process != null) {
            if (process.info()
                    .command()
                    .map(c -> c.endsWith("/java") || c.endsWith("\\java.exe"))
                    .orElse(false)) {
                return process.pid();
            }
            process = process.parent().orElse(null);
        }
        return 0;
    }

    /** The recorded observations of this module's last test run: {method, raw path, status} per answer. */
    public static List<String[]> read() throws IOException {
        if (!Files.isDirectory(DIRECTORY)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(p -> p.toString().endsWith(".tsv"))
                    .sorted()
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .filter(l -> !l.isBlank())
                    .map(l -> l.split("\t", -1))
                    .toList();
        }
    }

    private static String clean(String path) {
        return path == null ? "" : path.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
