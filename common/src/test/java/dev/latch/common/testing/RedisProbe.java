package dev.latch.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Reads Redis directly over RESP, so tests can check what a service stored — in integration tests too. */
public final class RedisProbe {

    private RedisProbe() {}

    /** {@code TTL key}: seconds left, -1 without expiry, -2 when the key does not exist. */
    public static long ttl(String key) {
        String answer = command("TTL", key);
        if (!answer.startsWith(":")) {
            throw new IllegalStateException("unexpected Redis answer: " + answer);
        }
        return Long.parseLong(answer.substring(1));
    }

    /** Keys matching a pattern ({@code KEYS}; test databases only), one per line of the raw answer. */
    public static java.util.List<String> keys(String pattern) {
        return java.util.List.of(command("KEYS", pattern).split("\n")).stream()
                .filter(l -> !l.isEmpty() && !l.startsWith("*") && !l.startsWith("$"))
                .toList();
    }

    /** Sends one command and returns the raw answer with CRLF turned into LF (first line is the type). */
    public static String command(String... args) {
        String host = System.getenv().getOrDefault("LATCH_TEST_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("LATCH_TEST_REDIS_PORT", "6379"));
        return command(host, port, args);
    }

    /** Like {@link #command(String...)}, at another server (a test's own, see {@link PrivateRedis}). */
    public static String command(String host, int port, String... args) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] a = arg.getBytes(StandardCharsets.UTF_8);
                out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(a);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("Redis not reachable", e);
        }
    }

    private static String read(InputStream in) throws IOException {
        String first = line(in);
        StringBuilder all = new StringBuilder(first);
        if (first.startsWith("*")) {
            int n = Integer.parseInt(first.substring(1));
            for (int i = 0; i < n; i++) {
                all.append('\n').append(read(in));
            }
        } else if (first.startsWith("$") && !first.equals("$-1")) {
            all.append('\n').append(line(in));
        }
        return all.toString();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\r'; ) {
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }
}
