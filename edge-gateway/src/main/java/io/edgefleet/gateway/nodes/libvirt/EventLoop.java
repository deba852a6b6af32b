package io.edgefleet.gateway.nodes.libvirt;

import org.jboss.logging.Logger;
import org.libvirt.Library;
import org.libvirt.LibvirtException;

/**
 * libvirt's default event loop, shared by every driver in the process: libvirt has one per process.
 * It must be registered before a connection is opened (remote connections hook their socket into it
 * when they open, and without it there are no domain events and no keepalive), and something must run
 * it: a daemon thread calling {@link Library#runEventLoop()}. Drivers acquire it before connecting and
 * release it when closed; the thread stops with the last driver and starts again with the next one.
 */
final class EventLoop {

    private static final Logger LOG = Logger.getLogger(EventLoop.class);
    private static int users;
    private static Thread thread;

    private EventLoop() {
    }

    static synchronized void acquire() throws LibvirtException {
        Library.initEventLoop(); // idempotent: registers the default implementation once per process
        if (users++ == 0 || thread == null || !thread.isAlive()) {
            startThread();
        }
    }

    static synchronized void release() {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            Thread t = thread;
            thread = null;
            try {
                Library.stopEventLoop();
            } catch (LibvirtException e) {
                LOG.debugf("stopping the libvirt event loop: %s", e.getMessage());
            }
            if (t != null) {
                try {
                    t.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    static synchronized boolean running() {
        return thread != null && thread.isAlive();
    }

    private static void startThread() {
        if (thread != null && thread.isAlive()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (LibvirtException e) {
                LOG.errorf("libvirt event loop stopped: %s", e.getMessage());
            }
        }, "libvirt-event-loop");
        t.setDaemon(true);
        t.start();
        thread = t;
    }
}
