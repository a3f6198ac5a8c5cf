package dev.latch.common.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A peer that is up but does not answer: it accepts TCP connections on a loopback port and then never reads
 * or writes (a hung process, a full accept queue behind a proxy, a half-open network path). What a caller
 * without a read timeout waits for forever.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private SilentServer(ServerSocket socket) {
        this.socket = socket;
        this.acceptor = new Thread(
                () -> {
                    while (!socket.isClosed()) {
                        try {
                            accepted.add(socket.accept());
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "silent-server-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on 127.0.0.1:{@code port} (0: a free port), e.g. the port a stopped server just left. */
    public static SilentServer on(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return new SilentServer(socket);
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Connections accepted so far (each left without an answer). */
    public int connections() {
        return accepted.size();
    }

    /**
     * Stops listening and resets every accepted connection (no TIME_WAIT left on the port, so a server that does
     * not set SO_REUSEADDR, such as the JDK's HttpServer, can listen on it again at once).
     */
    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
                s.close();
            }
        }
    }
}
