package dev.latch.common.auth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** A JDK HTTP server on a free loopback port answering one path with JSON computed from the request body. */
final class LocalJsonServer implements AutoCloseable {

    private final HttpServer server;
    private final String path;
    private volatile String lastAuthorization;

    LocalJsonServer(String path, UnaryOperator<String> answer) throws IOException {
        this.path = path;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] body = answer.apply(request).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The Authorization header of the last request, or null. */
    String lastAuthorization() {
        return lastAuthorization;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
