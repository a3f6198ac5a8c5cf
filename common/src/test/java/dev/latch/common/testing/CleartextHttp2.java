package dev.latch.common.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Asks a server to switch an HTTP/1.1 request with a body to HTTP/2 over clear text (RFC 7540 §3.2),
 * the way {@code java.net.http.HttpClient} and {@code curl --http2} do, and reports the status line of
 * the answer. A Latch service must answer in HTTP/1.1, never {@code 101 Switching Protocols}: during
 * that upgrade Vert.x buffers the body without flow control.
 */
public final class CleartextHttp2 {

    private CleartextHttp2() {}

    public static String statusLineOfUpgrade(int port, String path) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            String request = "POST " + path + " HTTP/1.1\r\n"
                    + "Host: localhost:" + port + "\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: 5\r\n"
                    + "\r\n"
                    + "hello";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line = in.readLine();
            if (line == null) {
                throw new IOException("The server closed the connection without answering.");
            }
            return line;
        }
    }
}
