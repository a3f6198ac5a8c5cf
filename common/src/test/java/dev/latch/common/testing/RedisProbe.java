package dev.latch.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Reads Redis directly over RESP, so tests can check what a service stored — in integration tests too. */
public final class RedisProbe {

    private RedisProbe() {
    }

    /** {@code TTL key}: seconds left, -1 without expiry, -2 when the key does not exist. */
    public static long ttl(String key) {
        String host = System.getenv().getOrDefault("LATCH_TEST_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("LATCH_TEST_REDIS_PORT", "6379"));
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("*2\r\n$3\r\nTTL\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(k);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\r';) {
                line.append((char) c);
            }
            if (line.length() == 0 || line.charAt(0) != ':') {
                throw new IllegalStateException("unexpected Redis answer: " + line);
            }
            return Long.parseLong(line.substring(1));
        } catch (IOException e) {
            throw new IllegalStateException("Redis not reachable", e);
        }
    }
}
