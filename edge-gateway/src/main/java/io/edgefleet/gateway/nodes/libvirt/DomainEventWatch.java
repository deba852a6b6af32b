package io.edgefleet.gateway.nodes.libvirt;

import io.edgefleet.events.payload.NodeState;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.jboss.logging.Logger;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.code;
import static io.edgefleet.gateway.nodes.libvirt.LibvirtErrors.message;

/**
 * Reports changes of managed nodes from libvirt's lifecycle events: started, stopped, crashed,
 * suspended, resumed, undefined (reported as DELETED). Events arrive on libvirt's event loop thread
 * (see {@link EventLoop}), which must not call back into libvirt; they are handed to one daemon worker
 * thread, which reads the domain and calls the listeners in event order. The same worker reconnects
 * when libvirtd closed the connection (every 2 s until it succeeds) and then reports every node as it
 * is, since events may have been missed meanwhile.
 */
final class DomainEventWatch {

    private static final Logger LOG = Logger.getLogger(DomainEventWatch.class);

    /** The driver's list of its nodes; it also {@link #remember}s each. */
    @FunctionalInterface
    interface NodeLister {
        List<NodeStatus> list() throws NodeDriverException;
    }

    private final LibvirtConnection connection;
    private final NodeDomains domains;
    private final NodeLister nodes;
    private final List<Consumer<NodeStatus>> listeners = new CopyOnWriteArrayList<>();
    /** Metadata of the managed domains seen so far, by UUID: an undefined domain can no longer be read. */
    private final Map<String, NodeMetadata> known = new ConcurrentHashMap<>();

    private final Object watchLock = new Object();
    /** Handles events and reconnects (one daemon thread); exists while someone watches. */
    private ScheduledThreadPoolExecutor eventWorker;

    DomainEventWatch(LibvirtConnection connection, NodeDomains domains, NodeLister nodes) {
        this.connection = connection;
        this.domains = domains;
        this.nodes = nodes;
    }

    /** The first listener subscribes to libvirt's events; calls come from one daemon thread, in event order. */
    void add(Consumer<NodeStatus> listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener is missing");
        }
        synchronized (watchLock) {
            if (connection.isClosed()) {
                throw new IllegalStateException("driver is closed");
            }
            listeners.add(listener);
            if (connection.subscribed()) {
                return;
            }
            eventWorker = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "libvirt-node-events");
                t.setDaemon(true);
                return t;
            });
            eventWorker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            try {
                nodes.list(); // learns the current nodes, so that their removal can be reported
            } catch (NodeDriverException e) {
                LOG.warnf("watch: %s", e.getMessage());
            }
            LifecycleListener l = this::onLifecycle;
            try {
                connection.subscribe(l);
            } catch (LibvirtException e) {
                eventWorker.shutdownNow();
                eventWorker = null;
                listeners.remove(listener);
                throw new IllegalStateException("cannot subscribe to libvirt domain events: " + message(e), e);
            }
        }
    }

    /** A managed domain seen by the driver: its removal can be reported even once it cannot be read. */
    void remember(Domain d, NodeMetadata meta) throws LibvirtException {
        known.put(d.getUUIDString(), meta);
    }

    /** The driver deleted the node: while watched, the UNDEFINED event forgets it and reports it as DELETED. */
    void deleted(String uuid) {
        if (!connection.subscribed()) {
            known.remove(uuid);
        }
    }

    /** On libvirt's event loop thread: libvirtd closed the connection. Watchers need it back now, not at the next command. */
    void connectionLost() {
        ScheduledThreadPoolExecutor worker = eventWorker;
        if (worker != null) {
            try {
                worker.execute(this::recover);
            } catch (RejectedExecutionException closing) {
                // the driver is closing
            }
        }
    }

    /** After {@link LibvirtConnection#markClosed}: removes the event listener and stops event handling. */
    void close() {
        synchronized (watchLock) {
            connection.unsubscribe();
            if (eventWorker != null) {
                eventWorker.shutdown();
                try {
                    eventWorker.awaitTermination(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                eventWorker = null;
            }
            listeners.clear();
        }
    }

    /** On libvirt's event loop thread: only hand over, never call back into libvirt here. */
    private int onLifecycle(Domain domain, DomainEvent event) {
        ExecutorService worker = eventWorker;
        if (worker == null || connection.isClosed()) {
            return 0;
        }
        try {
            worker.execute(() -> handleEvent(domain, event));
        } catch (RejectedExecutionException closing) {
            // the driver is closing
        }
        return 0;
    }

    private void handleEvent(Domain domain, DomainEvent event) {
        try {
            DomainEventType type = event.getType();
            String uuid = domain.getUUIDString();
            if (type == DomainEventType.UNDEFINED) {
                reportGone(uuid);
                return;
            }
            if (type == DomainEventType.SHUTDOWN) {
                return; // the guest finished shutting down: a STOPPED event follows
            }
            Optional<NodeMetadata> meta;
            try {
                meta = domains.ours(domain);
            } catch (LibvirtException e) {
                if (code(e) == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                    reportGone(uuid);
                    return;
                }
                throw e;
            }
            if (meta.isEmpty()) {
                return;
            }
            known.put(uuid, meta.get());
            NodeState state = switch (type) {
                case STARTED, RESUMED -> NodeState.RUNNING;
                case STOPPED, SUSPENDED, PMSUSPENDED -> NodeState.STOPPED;
                case CRASHED -> NodeState.FAILED;
                default -> null;
            };
            NodeStatus current = DomainStates.of(
                    domain, meta.get(), "event " + type.name().toLowerCase() + " (" + event.getDetail() + ")");
            emit(
                    state == null
                            ? current
                            : new NodeStatus(
                                    current.clusterId(),
                                    current.poolName(),
                                    current.nodeId(),
                                    state,
                                    current.ref(),
                                    current.ip(),
                                    current.commandId(),
                                    current.message(),
                                    current.observedAt(),
                                    current.addresses()));
        } catch (LibvirtException | RuntimeException e) {
            LOG.warnf(
                    "could not report a libvirt event: %s",
                    e instanceof LibvirtException le ? message(le) : e.toString());
        }
    }

    /** On the event worker: reconnects (retrying every 2 s) and reports every node as it is now. */
    private void recover() {
        if (connection.isClosed()) {
            return;
        }
        try {
            connection.live();
            resync();
        } catch (LibvirtException | NodeDriverException | RuntimeException e) {
            if (connection.isClosed()) {
                return;
            }
            LOG.warnf(
                    "libvirt still unreachable (%s): trying again in 2 s",
                    e instanceof LibvirtException le ? message(le) : e.getMessage());
            ScheduledThreadPoolExecutor worker = eventWorker;
            if (worker != null) {
                try {
                    worker.schedule(this::recover, 2, TimeUnit.SECONDS);
                } catch (RejectedExecutionException closing) {
                    // the driver is closing
                }
            }
        }
    }

    /** Events may have been missed while disconnected: report every node, and the ones that are gone. */
    private void resync() throws NodeDriverException {
        List<NodeStatus> now = nodes.list();
        Set<String> present = new HashSet<>();
        now.forEach(s -> present.add(s.ref()));
        for (String uuid : List.copyOf(known.keySet())) {
            if (!present.contains(uuid)) {
                reportGone(uuid);
            }
        }
        for (NodeStatus n : now) {
            emit(new NodeStatus(
                    n.clusterId(),
                    n.poolName(),
                    n.nodeId(),
                    n.state(),
                    n.ref(),
                    n.ip(),
                    n.commandId(),
                    "after reconnect: " + n.message(),
                    n.observedAt(),
                    n.addresses()));
        }
    }

    private void reportGone(String uuid) {
        NodeMetadata meta = known.remove(uuid);
        if (meta != null) {
            emit(new NodeStatus(
                    meta.clusterId(),
                    meta.poolName(),
                    meta.nodeId(),
                    NodeState.DELETED,
                    uuid,
                    null,
                    meta.commandId(),
                    "domain undefined",
                    Instant.now()));
        }
    }

    private void emit(NodeStatus status) {
        for (Consumer<NodeStatus> l : listeners) {
            try {
                l.accept(status);
            } catch (RuntimeException e) {
                LOG.warnf(e, "node status listener failed");
            }
        }
    }
}
