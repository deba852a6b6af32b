package io.edgefleet.gateway.nodes.libvirt;

import org.jboss.logging.Logger;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.event.ConnectionCloseListener;
import org.libvirt.event.ConnectionCloseReason;
import org.libvirt.event.LifecycleListener;

import java.util.concurrent.atomic.AtomicBoolean;

import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.message;

/**
 * The driver's one libvirt connection. libvirtd goes away now and then (restart, package upgrade): the
 * next {@link #live()} opens a new connection, and the event watch's lifecycle listener moves to it, so
 * that events keep coming. When libvirtd closes the connection itself, {@link #onClosedByLibvirt} hears
 * it: a watched driver must reconnect at once, not at its next command.
 */
final class LibvirtConnection {

    private static final Logger LOG = Logger.getLogger(LibvirtConnection.class);

    private final String uri;
    /** Replaced when libvirtd went away and came back: see {@link #live()}. */
    private volatile Connect connect;

    private final Object reconnectLock = new Object();
    private final ConnectionCloseListener closeListener = this::onConnectionClosed;
    private volatile LifecycleListener lifecycle;
    private volatile Runnable onLost;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Opens the connection; no close notification yet (see {@link #onClosedByLibvirt}). */
    LibvirtConnection(String uri) throws LibvirtException {
        this.uri = uri;
        this.connect = open();
    }

    /** The connection as it is, without a liveness check (for the driver's setup and for tests). */
    Connect current() {
        return connect;
    }

    /**
     * The connection, opened again when libvirtd went away (restart, package upgrade) — the event
     * listener moves to the new connection. The check is local (no round trip).
     */
    Connect live() throws LibvirtException {
        Connect c = connect;
        boolean alive;
        try {
            alive = c.isAlive();
        } catch (LibvirtException e) {
            alive = false;
        }
        return alive ? c : reconnect(c);
    }

    /** From now on, {@code lost} runs (on libvirt's event loop thread) when libvirtd closes the connection. */
    void onClosedByLibvirt(Runnable lost) {
        this.onLost = lost;
        registerCloseListener(connect);
    }

    /** Registers the lifecycle listener on this connection and on every one a reconnect opens. */
    void subscribe(LifecycleListener l) throws LibvirtException {
        synchronized (reconnectLock) { // a reconnect registers it on the new connection
            live().addLifecycleListener(l);
            lifecycle = l;
        }
    }

    boolean subscribed() {
        return lifecycle != null;
    }

    void unsubscribe() {
        LifecycleListener l = lifecycle;
        if (l != null) {
            try {
                connect.removeLifecycleListener(l);
            } catch (LibvirtException e) {
                LOG.debugf("removing the lifecycle listener: %s", message(e));
            }
            lifecycle = null;
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Marks the connection closed (no reconnects from now on); false when it was already. */
    boolean markClosed() {
        return closed.compareAndSet(false, true);
    }

    /** After {@link #markClosed}: stops the close notification and closes the connection. */
    void close() {
        try {
            connect.unregisterCloseListener();
        } catch (LibvirtException e) {
            LOG.debugf("removing the close listener: %s", message(e));
        }
        synchronized (reconnectLock) {
            closeQuietly(connect);
        }
    }

    private Connect open() throws LibvirtException {
        Connect c = new Connect(uri);
        try {
            c.setKeepAlive(5, 3); // notices a dead remote connection within ~20 s; a no-op for local drivers
        } catch (LibvirtException e) {
            LOG.debugf("no keepalive on %s: %s", redact(uri), message(e));
        }
        return c;
    }

    private void registerCloseListener(Connect c) {
        try {
            c.registerCloseListener(closeListener);
        } catch (LibvirtException e) {
            LOG.debugf("no close notification from %s: %s", redact(uri), message(e)); // e.g. the test driver
        }
    }

    private Connect reconnect(Connect dead) throws LibvirtException {
        synchronized (reconnectLock) {
            if (connect != dead) {
                return connect; // another thread did it
            }
            if (closed.get()) {
                throw new IllegalStateException("the libvirt node driver is closed");
            }
            LOG.warnf("libvirt connection to %s lost: reconnecting", redact(uri));
            Connect fresh = open();
            LifecycleListener l = lifecycle;
            if (l != null) {
                try {
                    fresh.addLifecycleListener(l);
                } catch (LibvirtException e) {
                    closeQuietly(fresh);
                    throw e;
                }
            }
            registerCloseListener(fresh);
            connect = fresh;
            try {
                dead.unregisterCloseListener();
            } catch (LibvirtException e) {
                LOG.tracef("old connection: %s", message(e));
            }
            closeQuietly(dead);
            LOG.infof("reconnected to libvirt at %s", redact(uri));
            return fresh;
        }
    }

    /** On libvirt's event loop thread: libvirtd closed the connection. */
    private void onConnectionClosed(Connect c, ConnectionCloseReason reason) {
        if (closed.get() || reason == ConnectionCloseReason.CLIENT) {
            return;
        }
        LOG.warnf("libvirt closed the connection (%s)", reason);
        Runnable lost = onLost;
        if (lost != null) {
            lost.run();
        }
    }

    /** The URI without its query (which names key files). */
    static String redact(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q) + "?…";
    }

    static void closeQuietly(Connect c) {
        try {
            c.close();
        } catch (LibvirtException e) {
            LOG.debugf("closing the libvirt connection: %s", message(e));
        }
    }
}
