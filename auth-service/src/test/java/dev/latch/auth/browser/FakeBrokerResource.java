package dev.latch.auth.browser;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The broker's {@code GET /v1/identity-providers} at its contract ({@code {"items": [{id, title, startUrl}],
 * "nextPageToken": null}}), served by the JDK's HTTP server, which a test can stop and start again on the same port
 * (a broker that is down, then back).
 */
public class FakeBrokerResource implements QuarkusTestResourceLifecycleManager {

    static final String PROVIDERS = """
            {"items": [
              {"id": "github", "title": "GitHub", "startUrl": "http://localhost:8082/v1/auth/oauth/github/start"},
              {"id": "corp-sso", "title": "Corp <SSO> & co", "startUrl": "http://localhost:8082/v1/auth/oauth/corp-sso/start"},
              {"id": "Not A Slug!", "title": "Skipped", "startUrl": "http://localhost:8082/x"}
            ], "nextPageToken": null}""";

    private static HttpServer server;
    private static int port;

    @Override
    public Map<String, String> start() {
        up();
        return Map.of("latch.auth.authorization.broker-api-url", "http://127.0.0.1:" + port + "/");
    }

    @Override
    public void stop() {
        down();
    }

    static synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/identity-providers", exchange -> {
            byte[] body = PROVIDERS.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    /** Stops answering: connections to the port are refused. */
    static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
