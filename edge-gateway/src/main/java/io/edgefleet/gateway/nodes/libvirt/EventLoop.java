package io.edgefleet.gateway.nodes.libvirt;

import org.jboss.logging.Logger;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * libvirt's default event loop, shared by every driver in the process: libvirt has one per process.
 * It must be registered before a connection is opened (remote connections hook their socket into it
 * when they open; without it there are no domain events and no keepalive), and a thread must run it.
 * Drivers acquire it before connecting and release it when closed; the daemon thread
 * {@code libvirt-event-loop} stops with the last driver and a new one starts with the next driver.
 * <p>
 * The thread runs {@link Library#processEvent()} itself rather than {@link Library#runEventLoop()}:
 * runEventLoop's single process-wide run flag loses a stop that comes before the thread got going (a
 * driver opened and closed within milliseconds), which left a loop running forever and, once the next
 * driver started another, two threads polling libvirt's loop. Here each thread has its own flag, and a
 * timer of our own wakes the loop's poll so that it sees the flag.
 */
final class EventLoop {

    private static final Logger LOG = Logger.getLogger(EventLoop.class);
    /** Fires once when armed with timeout 0, then disarms itself. Kept in a field: JNA must not lose it. */
    private static final Libvirt.VirEventTimeoutCallback WAKE =
            (timer, opaque) -> Libvirt.INSTANCE.virEventUpdateTimeout(timer, -1);

    private static int users;
    private static int wakeTimer = -1;
    private static Thread thread;
    private static AtomicBoolean keepRunning;

    private EventLoop() {}

    static synchronized void acquire() throws LibvirtException {
        Library.initEventLoop(); // idempotent: registers libvirt's default implementation once per process
        if (wakeTimer < 0) {
            int id = Libvirt.INSTANCE.virEventAddTimeout(-1, WAKE, null, null);
            if (id < 0) {
                throw new IllegalStateException("cannot add a timer to libvirt's event loop");
            }
            wakeTimer = id;
        }
        users++;
        if (thread != null && thread.isAlive() && keepRunning.get()) {
            return;
        }
        if (thread != null) {
            join(thread); // a previous loop still on its way out
        }
        AtomicBoolean run = new AtomicBoolean(true);
        Thread t = new Thread(() -> loop(run), "libvirt-event-loop");
        t.setDaemon(true);
        keepRunning = run;
        thread = t;
        t.start();
    }

    static synchronized void release() {
        if (users == 0) {
            return;
        }
        if (--users == 0 && thread != null) {
            keepRunning.set(false);
            Libvirt.INSTANCE.virEventUpdateTimeout(wakeTimer, 0); // wakes the poll; the thread then sees the flag
            join(thread);
            if (!thread.isAlive()) {
                thread = null;
            }
        }
    }

    static synchronized boolean running() {
        return thread != null && thread.isAlive() && keepRunning.get();
    }

    private static void loop(AtomicBoolean run) {
        while (run.get()) {
            try {
                Library.processEvent();
            } catch (LibvirtException e) {
                LOG.warnf("libvirt event loop: %s", e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("libvirt event loop thread did not stop within 2 s");
        }
    }
}
