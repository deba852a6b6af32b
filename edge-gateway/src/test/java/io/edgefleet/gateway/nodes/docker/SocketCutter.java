package io.edgefleet.gateway.nodes.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A unix-socket relay in front of the engine's socket that a test can cut: every open connection is
 * dropped, and while {@link #refuse} is on new ones are closed at once. What a restarting engine
 * looks like to a client, without restarting the shared engine.
 */
final class SocketCutter implements AutoCloseable {

    private final Path target;
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean refuse;

    SocketCutter(Path listenOn, Path target) throws IOException {
        this.target = target;
        Files.deleteIfExists(listenOn);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listenOn));
        Thread accept = new Thread(this::acceptLoop, "socket-cutter");
        accept.setDaemon(true);
        accept.start();
    }

    /** Drops every open connection and, while {@code refuse}, every new one. */
    void cut(boolean refuse) {
        this.refuse = refuse;
        for (SocketChannel channel : open) {
            closeQuietly(channel);
        }
        open.clear();
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                if (refuse) {
                    closeQuietly(client);
                    continue;
                }
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // closed
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
                        // cut or closed
                    } finally {
                        open.remove(from);
                        open.remove(to);
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "socket-cutter-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut(true);
    }
}
