package dev.latch.common.web;

import io.quarkus.arc.Unremovable;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Singleton;

/**
 * Turns off HTTP/2 over clear text (h2c) on the plain HTTP listener of every Latch service.
 * <p>
 * During an {@code Upgrade: h2c} handshake Vert.x converts the HTTP/1.1 request body into HTTP/2 data
 * frames without flow control: the socket keeps being read however slowly the application consumes the
 * body, so one upload sent with that header piles up in the heap (a 200 MiB body exhausted a 160 MiB
 * heap). With h2c off the header is ignored and the request is served as HTTP/1.1, where the body is
 * read on demand. HTTP/2 stays available over TLS (ALPN), where flow control applies from the first byte.
 */
@Singleton
@Unremovable
public class NoCleartextHttp2 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
