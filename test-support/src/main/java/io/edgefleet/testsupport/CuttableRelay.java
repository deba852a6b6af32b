package io.edgefleet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A relay in front of a socket (TCP on loopback, or a unix socket) that a test can cut, as a failing network or a
 * restarting server looks to a client: {@link #cut} ends every connection through it at once (a TCP one with an RST, no
 * FIN handshake, so e.g. no MQTT DISCONNECT reaches a broker), and while {@link #refuse} is on new ones are ended as
 * soon as they are accepted. Bytes pass unchanged (TLS end to end).
 */
public final class CuttableRelay implements AutoCloseable {

    private final SocketAddress target;
    private final ServerSocketChannel listener;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    private CuttableRelay(ServerSocketChannel listener, SocketAddress target) {
        this.listener = listener;
        this.target = target;
        Thread accepting = new Thread(this::accept, "cuttable-relay");
        accepting.setDaemon(true);
        accepting.start();
    }

    /** A relay on a free loopback port ({@link #port}) to {@code targetPort} on loopback. */
    public static CuttableRelay tcp(int targetPort) {
        try {
            ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new CuttableRelay(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A relay listening on the unix socket {@code listenOn} (replaced if it exists) to the unix socket {@code target}. */
    public static CuttableRelay unix(Path listenOn, Path target) {
        try {
            Files.deleteIfExists(listenOn);
            ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            listener.bind(UnixDomainSocketAddress.of(listenOn));
            return new CuttableRelay(listener, UnixDomainSocketAddress.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loopback port of a {@link #tcp} relay. */
    public int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends every connection through it now. */
    public void cut() {
        for (SocketChannel channel : open) {
            reset(channel);
        }
        open.clear();
    }

    /** While on, a new connection is ended as soon as it is accepted. */
    public void refuse(boolean refuse) {
        refusing = refuse;
    }

    private void accept() {
        while (listener.isOpen()) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                reset(client);
                continue;
            }
            try {
                SocketChannel server = SocketChannel.open(target);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                reset(client); // the target is not there: the client retries
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(
                () -> {
                    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
                    try {
                        while (from.read(buffer) >= 0) {
                            buffer.flip();
                            while (buffer.hasRemaining()) {
                                to.write(buffer);
                            }
                            buffer.clear();
                        }
                    } catch (IOException e) {
                        // cut, or the other side closed
                    } finally {
                        open.remove(from);
                        open.remove(to);
                        reset(from);
                        reset(to);
                    }
                },
                "cuttable-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void reset(SocketChannel channel) {
        try {
            if (channel.supportedOptions().contains(StandardSocketOptions.SO_LINGER)) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // TCP: an RST, as a lost route ends up
            }
        } catch (IOException e) {
            // already closed
        }
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        cut();
    }
}
