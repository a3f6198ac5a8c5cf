package dev.latch.e2e.harness;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy from Debian's packages in front of the replicas, as a Kubernetes cluster puts a Service in front of a
 * Deployment's pods and an Ingress in front of the Services:
 * <ul>
 *   <li>one internal frontend per service (the Service: what the services call each other on), round-robin over its
 *       replicas, no stickiness;
 *   <li>one public frontend (the Ingress: what browsers and clients use), routing by path prefix exactly as the
 *       chart's Ingress does, longest prefix first, and serving the product's own {@code /welcome} page.
 * </ul>
 * A replica is in rotation while {@code /q/health/ready} answers 200 (checked every 500 ms, out after 2 failures, in
 * after 2 successes). A request whose connection to a replica fails is sent to another; a request that reached a
 * replica is retried elsewhere only when its method is idempotent (GET, HEAD, OPTIONS). Every answer names the replica
 * that served it in {@code X-Latch-Replica}. A replica that dies with a request in flight yields a 502 on a client
 * connection's first request; on a later request of a keep-alive connection HAProxy instead closes the client
 * connection without an answer and without a log line, by design: the client knows the request may be sent again
 * (haproxy/haproxy#3414), as after any keep-alive race.
 */
public final class HaProxy {

    /** The chart's Ingress paths, longest first (templates/ingress.yaml). */
    private static final List<Map.Entry<String, String>> INGRESS = List.of(
            Map.entry("/v1/identity-providers", "identity-provider-service"),
            Map.entry("/api/v1/attachments", "storage-service"),
            Map.entry("/v1/oauth-clients", "auth-service"),
            Map.entry("/v1/audit-events", "auth-service"),
            Map.entry("/api/v1/storage", "storage-service"),
            Map.entry("/v1/auth/oauth", "identity-provider-service"),
            Map.entry("/.well-known", "auth-service"),
            Map.entry("/v1/users", "auth-service"),
            Map.entry("/landing", "identity-provider-service"),
            Map.entry("/device", "auth-service"),
            Map.entry("/login", "auth-service"),
            Map.entry("/v1/auth", "auth-service"),
            Map.entry("/oauth2", "auth-service"),
            Map.entry("/file", "storage-service"));

    /**
     * HAProxy closes the client's connection after an error it answers itself; saying so lets a keep-alive client
     * (the JDK's, a browser) open a new connection for its retry instead of writing into a closed one.
     */
    private static final String ANNOUNCE_CLOSE =
            "  http-after-response set-header Connection close if { status 502 } || { status 503 } || { status 504 }\n";

    private final Path dir;
    private final int publicPort;
    private final Map<String, Integer> servicePorts;
    private final Map<String, List<Replica>> backends;
    private Process process;

    public HaProxy(Path dir, int publicPort, Map<String, Integer> servicePorts, Map<String, List<Replica>> backends) {
        this.dir = dir;
        this.publicPort = publicPort;
        this.servicePorts = new LinkedHashMap<>(servicePorts);
        this.backends = new LinkedHashMap<>(backends);
    }

    public Path log() {
        return dir.resolve("haproxy.log");
    }

    String config() {
        StringBuilder c = new StringBuilder();
        c.append("global\n")
                .append("  log stdout format raw local0\n")
                .append("  stats socket ")
                .append(socket())
                .append(" mode 600 level admin\n")
                .append("  hard-stop-after 5s\n\n")
                .append("defaults\n")
                .append("  mode http\n")
                .append("  log global\n")
                .append("  option httplog\n")
                .append("  option forwardfor\n")
                .append("  option redispatch\n")
                .append("  retries 3\n")
                .append("  retry-on conn-failure empty-response response-timeout 502 503\n")
                .append("  timeout connect 1s\n")
                .append("  timeout client 60s\n")
                .append("  timeout server 60s\n")
                .append("  timeout http-request 10s\n")
                // an idle client connection is closed after 30 s; the suite's JDK client drops its own after 5 s
                // (jdk.httpclient.keepalive.timeout in the pom), so it never writes into one HAProxy just closed
                .append("  timeout http-keep-alive 30s\n\n");
        for (String service : backends.keySet()) {
            c.append("frontend ")
                    .append(service)
                    .append("\n  bind 127.0.0.1:")
                    .append(servicePorts.get(service))
                    .append("\n")
                    .append(ANNOUNCE_CLOSE)
                    .append("  default_backend ")
                    .append(service)
                    .append("\n\n");
        }
        c.append("frontend public\n  bind 127.0.0.1:")
                .append(publicPort)
                .append('\n')
                .append(ANNOUNCE_CLOSE);
        // the product's page a login lands on: it shows where it landed (the screenshots show the query)
        c.append("  http-request return status 200 content-type \"text/html; charset=utf-8\" lf-string"
                + " \"<!doctype html><title>Welcome</title><h1>Welcome</h1><p>Landed on <code>%[url]</code></p>\""
                + " if { path /welcome }\n");
        for (Map.Entry<String, String> route : INGRESS) {
            if (backends.containsKey(route.getValue())) {
                c.append("  use_backend ")
                        .append(route.getValue())
                        .append(" if { path ")
                        .append(route.getKey())
                        .append(" } || { path_beg ")
                        .append(route.getKey())
                        .append("/ }\n");
            }
        }
        if (backends.containsKey("identity-provider-service")) {
            c.append("  use_backend identity-provider-service if { path / } || { path /favicon.ico }\n");
        }
        c.append("\n");
        for (Map.Entry<String, List<Replica>> b : backends.entrySet()) {
            c.append("backend ")
                    .append(b.getKey())
                    .append('\n')
                    .append("  balance roundrobin\n")
                    .append("  option httpchk GET /q/health/ready\n")
                    .append("  http-check expect status 200\n")
                    .append("  http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS\n")
                    .append("  http-response set-header X-Latch-Replica %s\n")
                    .append("  default-server inter 500ms fall 2 rise 2\n");
            for (Replica r : b.getValue()) {
                c.append("  server ")
                        .append(r.name())
                        .append(" 127.0.0.1:")
                        .append(r.port())
                        .append(" check\n");
            }
            c.append('\n');
        }
        return c.toString();
    }

    private Path socket() {
        return dir.resolve("haproxy.sock").toAbsolutePath();
    }

    public void start() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(), StandardCharsets.UTF_8);
        Files.deleteIfExists(socket());
        Process check = new ProcessBuilder("haproxy", "-c", "-q", "-f", cfg.toString())
                .redirectErrorStream(true)
                .start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (check.waitFor() != 0) {
            throw new IllegalStateException("haproxy refused " + cfg + ":\n" + checked);
        }
        process = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
    }

    /** Each server's state as HAProxy's stats socket reports it, e.g. {@code auth-service/auth-1 -> UP}. */
    public Map<String, String> serverStates() throws IOException {
        Map<String, String> states = new LinkedHashMap<>();
        String csv = command("show stat");
        for (String line : csv.split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 17 && !line.startsWith("#") && !f[1].equals("FRONTEND") && !f[1].equals("BACKEND")) {
                states.put(f[0] + "/" + f[1], f[17]);
            }
        }
        return states;
    }

    private String command(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket()));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            List<byte[]> chunks = new ArrayList<>();
            int total = 0;
            while (channel.read(buffer) > 0) {
                buffer.flip();
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                chunks.add(chunk);
                total += chunk.length;
                buffer.clear();
            }
            byte[] all = new byte[total];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            return new String(all, StandardCharsets.UTF_8);
        }
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
