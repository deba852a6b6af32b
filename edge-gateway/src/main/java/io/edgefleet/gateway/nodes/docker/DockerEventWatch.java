package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.edgefleet.events.payload.NodeStatus;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Follows the engine's event stream for this tenant's managed containers and reports each change as a
 * {@link NodeStatus} (the container's state when the event is handled, so replays and late events still
 * report the truth). Listeners are called one at a time on a background thread of the Docker client:
 * a slow listener delays the next events, a throwing one is logged and skipped.
 * <p>
 * The stream stays open while the engine runs (an idle stream is not timed out). When it ends (engine
 * restart, cut connection) it is reopened, after 0.5 s and then up to 30 s between failed attempts,
 * with {@code since} = the last event delivered: the engine replays what happened meanwhile, and
 * replayed events already delivered are skipped. Once reopened, every node is also reported once,
 * because a restarted engine has forgotten its earlier events.
 * <p>
 * A node the gateway restarts itself (a patch that needs a reboot) is {@linkplain #quiet quiet} meanwhile:
 * its die and stop would otherwise read as a crash (exit code 137 is FAILED) and make cluster-service
 * replace a healthy node. Its real state is reported once it runs again ({@link #speak}).
 */
final class DockerEventWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DockerEventWatch.class);
    private static final String[] ACTIONS = {"start", "die", "stop", "destroy", "oom"};
    private static final long MAX_BACKOFF_MS = 30_000;

    private final DockerClient docker;
    private final Map<String, String> managedLabels;
    /** The container's current status by id; empty when it is gone. */
    private final Function<String, Optional<NodeStatus>> inspect;
    /** Every managed node, for the report after a reconnect. */
    private final Supplier<List<NodeStatus>> snapshot;

    private final List<Consumer<NodeStatus>> listeners = new CopyOnWriteArrayList<>();
    /** Containers being restarted by a task: their events are not reported. */
    private final Set<String> quiet = ConcurrentHashMap.newKeySet();

    private final Object publishing = new Object();

    private volatile boolean closed;
    private volatile Stream current;
    private Thread thread;
    /** Event time (ns) the next connection replays from; then the newest event delivered. */
    private volatile long sinceNanos;

    private volatile long lastDeliveredNanos;
    private final AtomicInteger connections = new AtomicInteger();

    DockerEventWatch(
            DockerClient docker,
            Map<String, String> managedLabels,
            Function<String, Optional<NodeStatus>> inspect,
            Supplier<List<NodeStatus>> snapshot) {
        this.docker = docker;
        this.managedLabels = managedLabels;
        this.inspect = inspect;
        this.snapshot = snapshot;
    }

    /** Adds a listener; the first one starts the stream. */
    synchronized void add(Consumer<NodeStatus> listener) {
        if (closed) {
            throw new IllegalStateException("the Docker node driver is closed");
        }
        listeners.add(listener);
        if (thread == null) {
            sinceNanos = System.currentTimeMillis() * 1_000_000;
            thread = new Thread(this::run, "edgefleet-docker-events");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops reporting the container's events until {@link #speak}: the gateway itself takes it down and up. */
    void quiet(String containerId) {
        quiet.add(containerId);
    }

    /** Reports the container again, starting with {@code now}, its state after the gateway's own operation. */
    void speak(String containerId, NodeStatus now) {
        quiet.remove(containerId);
        if (now != null) {
            publish(now);
        }
    }

    /** How often the stream was opened (tests see the reconnects). */
    int connections() {
        return connections.get();
    }

    private void run() {
        long backoffMs = 500;
        boolean reopened = false;
        while (!closed) {
            Stream stream = new Stream(reopened);
            current = stream;
            try {
                docker.eventsCmd()
                        .withEventTypeFilter(EventType.CONTAINER)
                        .withLabelFilter(managedLabels)
                        .withEventFilter(ACTIONS)
                        .withSince(String.format("%d.%09d", sinceNanos / 1_000_000_000, sinceNanos % 1_000_000_000))
                        .exec(stream);
                stream.done.await();
            } catch (InterruptedException e) {
                return; // close()
            } catch (RuntimeException e) {
                stream.error = e;
            }
            if (closed) {
                return;
            }
            // the engine ends the stream only when it goes away (restart, socket cut): wait a little
            backoffMs = stream.started ? 500 : Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            LOG.warnf(
                    "Docker event stream ended (%s), reopening it in %d ms",
                    stream.error == null ? "closed by the engine" : stream.error.toString(), backoffMs);
            reopened = true;
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void deliver(Event event) {
        long time = event.getTimeNano() == null ? 0 : event.getTimeNano();
        if (time != 0 && time <= lastDeliveredNanos) {
            return; // replayed by "since" after a reconnect
        }
        String id = event.getId();
        Map<String, String> attributes =
                event.getActor() == null ? Map.of() : event.getActor().getAttributes();
        NodeStatus status;
        try {
            status = "destroy".equals(event.getAction())
                    ? null
                    : inspect.apply(id).orElse(null);
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            // the engine is going away: the stream fails next, and the report after it covers this node
            LOG.warnf("cannot inspect container %s after its %s event: %s", id, event.getAction(), e.toString());
            return;
        }
        if (status == null) {
            status = ContainerStates.deleted(attributes, null, null, id, "container removed");
        }
        if (quiet.contains(id)) {
            LOG.debugf("container %s: %s during a restart by a task, not reported", id, event.getAction());
        } else {
            publish(withMessage(status, event.getAction()));
        }
        if (time != 0) {
            lastDeliveredNanos = time;
            sinceNanos = time;
        }
    }

    private void publish(NodeStatus status) {
        synchronized (publishing) { // the stream thread and a task's restart both report: one at a time
            publishTo(status);
        }
    }

    private void publishTo(NodeStatus status) {
        for (Consumer<NodeStatus> listener : listeners) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                LOG.warnf(e, "node status listener failed on %s/%s", status.clusterId(), status.nodeId());
            }
        }
    }

    private static NodeStatus withMessage(NodeStatus s, String action) {
        String message = "docker event " + action + (s.message() != null ? ": " + s.message() : "");
        return new NodeStatus(
                s.clusterId(),
                s.poolName(),
                s.nodeId(),
                s.state(),
                s.ref(),
                s.ip(),
                s.commandId(),
                message,
                s.observedAt());
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        Stream stream = current;
        if (stream != null) {
            stream.close();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One connection's callback; docker-java calls it on its own stream thread. */
    private final class Stream implements ResultCallback<Event> {
        final CountDownLatch done = new CountDownLatch(1);
        /** Report every node once connected: events may have been lost before this connection. */
        final boolean resync;

        volatile Closeable response;
        volatile Throwable error;
        volatile boolean started;

        Stream(boolean resync) {
            this.resync = resync;
        }

        @Override
        public void onStart(Closeable response) {
            this.response = response;
            started = true;
            connections.incrementAndGet();
            if (closed) {
                close();
            } else if (resync) {
                try {
                    snapshot.get().stream()
                            .filter(s -> !quiet.contains(s.ref()))
                            .forEach(s -> publish(withMessage(s, "stream reopened")));
                } catch (RuntimeException e) {
                    LOG.warnf("cannot list the nodes after the event stream came back: %s", e.toString());
                }
            }
        }

        @Override
        public void onNext(Event event) {
            if (!closed) {
                deliver(event);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
            done.countDown();
        }

        @Override
        public void onComplete() {
            done.countDown();
        }

        @Override
        public void close() {
            Closeable r = response;
            if (r != null) {
                try {
                    r.close();
                } catch (IOException e) {
                    LOG.debug("closing the event stream", e);
                }
            }
            done.countDown();
        }
    }
}
