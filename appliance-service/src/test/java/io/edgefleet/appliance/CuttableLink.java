package io.edgefleet.appliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP path between gateways and the broker that a test can cut, as a site's network fails: every connection through it
 * is reset at once (no MQTT DISCONNECT reaches the broker), and while {@link #refuse} is on, new ones are refused (the
 * site stays away). Bytes pass unchanged (TLS end to end).
 */
final class CuttableLink implements AutoCloseable {

    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final ServerSocket listener;
    private volatile boolean refusing;

    CuttableLink(int targetPort) {
        this.target = targetPort;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accepting = new Thread(this::accept, "cuttable-link-" + port());
        accepting.setDaemon(true);
        accepting.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection through it now. */
    void cut() {
        for (Socket s : open) {
            reset(s);
        }
        open.clear();
    }

    /** While on, a new connection is reset as soon as it is accepted. */
    void refuse(boolean refuse) {
        refusing = refuse;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket device = listener.accept();
                if (refusing) {
                    reset(device);
                    continue;
                }
                Socket broker = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(device);
                open.add(broker);
                pump(device, broker);
                pump(broker, device);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    continue; // one failed connection: the gateway retries
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // cut, or the other side closed
                    } finally {
                        reset(from);
                        reset(to);
                    }
                },
                "cuttable-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // an RST, as a lost route ends up: no FIN handshake
        } catch (SocketException e) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        cut();
    }
}
