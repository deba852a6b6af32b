package io.edgefleet.gateway;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.events.payload.Inventory;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.gateway.commands.CommandExecutor;
import io.edgefleet.gateway.commands.CommandReceiver;
import io.edgefleet.gateway.commands.ConsoleReader;
import io.edgefleet.gateway.identity.DeviceIdentity;
import io.edgefleet.gateway.identity.IdentityKeeper;
import io.edgefleet.gateway.identity.IdentitySource;
import io.edgefleet.gateway.identity.TlsMaterial;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.inventory.LibvirtInventorySource;
import io.edgefleet.gateway.link.MqttLink;
import io.edgefleet.gateway.metrics.GatewayMetrics;
import io.edgefleet.gateway.nodes.ApplianceNodeDefaults;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.proxy.ProxyRoutes;
import io.edgefleet.gateway.reports.ReportOutbox;
import io.edgefleet.gateway.reports.ReportSender;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tasks.NodeTasks;
import io.edgefleet.gateway.tracing.GatewayTracing;
import org.jboss.logging.Logger;

import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway process. On start it reconciles (reports the nodes that really exist, starts again those that are down
 * but should run, removes nothing), resumes unfinished commands, gets its identity (enrols if it has none), connects to the broker over MQTT/TLS, and once
 * its command subscription is in place registers and heartbeats. Every report goes through the durable local
 * outbox.
 * <p>
 * <b>In-process</b> (tests of this and other modules): {@code new EdgeGateway(settings, probe, driver).start()}
 * with {@link GatewaySettings#issued} — a certificate from test-support's {@code EdgePki} and a {@code MosquittoBroker}
 * — starts a gateway without enrolment; the driver is made for the certificate's tenant by the caller. The installed
 * gateway ({@code edge-gateway run}) enrols first and then builds its driver for the tenant it got.
 */
public final class EdgeGateway implements AutoCloseable {

    public static final String VERSION = "0.3.0";
    /** Far beyond any command's deadline (hours), after which no copy of it can arrive. */
    static final Duration COMMAND_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = Logger.getLogger(EdgeGateway.class);

    private final GatewaySettings settings;
    private final InventoryProbe probe;
    private final NodeDriver driver;
    private final LocalStore store;
    private final GatewayMetrics metrics;
    private final IdentityKeeper identities;
    private final MqttLink link;
    private final ReportOutbox reports;
    private final CommandExecutor executor;
    private final CommandReceiver receiver;
    private final ConsoleReader consoles;
    private final GatewayTracing tracing;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean registered;
    private long lastReport; // System.nanoTime() of the last report queued; only the heartbeat thread uses it
    private Instant reportedConnection; // the connection the last report was made on; only the heartbeat thread

    /** @param driver the node driver for this appliance's kind and tenant; null for a gateway that only reports */
    public EdgeGateway(GatewaySettings settings, InventoryProbe probe, NodeDriver driver) {
        this(settings, probe, driver, null);
    }

    /** With the identity keeper the caller enrolled with before it built the driver ({@code run}). */
    EdgeGateway(GatewaySettings settings, InventoryProbe probe, NodeDriver driver, IdentityKeeper identities) {
        this.settings = settings;
        this.probe = probe;
        this.driver = driver;
        this.store = new LocalStore(settings.stateDir());
        this.metrics = new GatewayMetrics(VERSION, settings.mode());
        this.tracing = GatewayTracing.of(settings.zipkinEndpoint(), settings.uid());
        ProxyRoutes proxies = ProxyRoutes.of(settings.proxy());
        TrustManagerFactory trust = TlsMaterial.trustManagers(settings.trustedCaFile());
        this.identities = identities != null
                ? identities
                : new IdentityKeeper(settings.uid(), settings.identity(), settings.stateDir(), trust, proxies);
        this.link = new MqttLink(
                settings.uid(), settings.stateDir(), trust, proxies, driver == null ? null : this::onCommand);
        this.reports = new ReportOutbox(store, new ReportSender(link, settings.sendTimeout()), metrics, settings.uid());
        if (driver != null) {
            List<String> clusterRanges = new ArrayList<>();
            if (settings.podCidr() != null) {
                clusterRanges.add(settings.podCidr());
            }
            if (settings.serviceCidr() != null) {
                clusterRanges.add(settings.serviceCidr());
            }
            ApplianceNodeDefaults nodeDefaults =
                    new ApplianceNodeDefaults(settings.proxy(), settings.caPem(), clusterRanges);
            NodeTasks tasks = new NodeTasks(
                    driver, store, nodeDefaults, settings.stateDir().resolve("tasks"), proxies.selector());
            this.executor = new CommandExecutor(
                    store,
                    driver,
                    tasks,
                    reports,
                    nodeDefaults,
                    metrics,
                    settings.uid(),
                    tracing,
                    settings.maxNodeOperations());
            this.consoles = new ConsoleReader(driver, reports, settings.uid());
            this.receiver = new CommandReceiver(executor, consoles);
        } else {
            this.executor = null;
            this.consoles = null;
            this.receiver = null;
        }
        metrics.watch(
                link::ready,
                () -> new GatewayMetrics.Backlog(store.pendingReportCount(), store.oldestPendingReport()),
                store::unfinishedCommandCount,
                () -> this.identities.current().map(DeviceIdentity::notAfter));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-heartbeat-" + settings.uid());
            t.setDaemon(true);
            return t;
        });
    }

    public EdgeGateway start() {
        LOG.infof(
                "edge gateway %s starting: appliance '%s', %s, %s mode, %s",
                VERSION,
                settings.uid(),
                describe(settings),
                settings.mode(),
                driver == null ? "no node driver" : driver.getClass().getSimpleName());
        reports.start();
        if (driver != null) {
            reconcile();
            driver.watch(node -> reports.queue(EventTypes.NODE_OBSERVED, node));
            executor.start();
        }
        link.start();
        identities.start(link::use);
        // checked every second: the registration goes out as soon as the link is ready, heartbeats at their interval
        heartbeat.scheduleWithFixedDelay(
                this::report, 0, Math.min(1_000, settings.heartbeatInterval().toMillis()), TimeUnit.MILLISECONDS);
        heartbeat.scheduleWithFixedDelay(this::purgeFinishedCommands, 0, 1, TimeUnit.HOURS);
        return this;
    }

    /** Finished commands are remembered for {@link #COMMAND_RETENTION} (repeats are answered from them), then go. */
    private void purgeFinishedCommands() {
        try {
            int purged = store.purgeFinishedCommands(Instant.now().minus(COMMAND_RETENTION));
            if (purged > 0) {
                LOG.infof("forgot %d command(s) finished more than %d days ago", purged, COMMAND_RETENTION.toDays());
            }
        } catch (RuntimeException e) {
            LOG.warnf("purging finished commands failed (the next hour retries): %s", e.getMessage());
        }
    }

    private void onCommand(CloudEvent command) {
        receiver.accept(command);
    }

    /**
     * Reports every node that really exists here, as it is, then starts again those that are down but should run
     * ({@link NodeRestarts}) and reports them once more; nothing is removed. So after a reboot (or an engine restart
     * while the gateway was away) the management plane first sees the node down, then running again.
     */
    private void reconcile() {
        List<NodeStatus> nodes;
        try {
            nodes = driver.list();
        } catch (NodeDriverException | RuntimeException e) {
            LOG.warnf("cannot list the nodes on this appliance yet: %s", e.getMessage());
            return;
        }
        nodes.forEach(node -> reports.queue(EventTypes.NODE_OBSERVED, node));
        List<NodeStatus> down;
        try {
            down = NodeRestarts.toStart(nodes, store.nodeIntents(), busyNodes());
        } catch (RuntimeException e) {
            LOG.warnf("cannot read the nodes' intents from the local store: %s; no node is started", e.getMessage());
            down = List.of();
        }
        int started = 0;
        for (NodeStatus node : down) {
            String was = node.state() + (node.message() == null ? "" : ": " + node.message());
            try {
                NodeStatus now = driver.start(node.clusterId(), node.nodeId());
                reports.queue(
                        EventTypes.NODE_OBSERVED,
                        withMessage(now, "started by the gateway on start (was " + was + ")"));
                started++;
                metrics.nodeRestarted();
                LOG.infof("node %s/%s was %s: started it again", node.clusterId(), node.nodeId(), was);
            } catch (NodeDriverException | RuntimeException e) {
                // the node stays down as reported: cluster-service starts it after its grace period, or replaces it
                LOG.warnf(
                        "node %s/%s is %s and could not be started: %s",
                        node.clusterId(), node.nodeId(), was, e.getMessage());
            }
        }
        LOG.infof("reconciled: %d node(s) found on this appliance, %d of them started again", nodes.size(), started);
    }

    /** Nodes and clusters with an unfinished command: the command decides about them, not the reconcile. */
    private Set<String> busyNodes() {
        Set<String> busy = new HashSet<>();
        for (LocalStore.StoredCommand c : store.unfinishedCommands()) {
            try {
                NodeCommand addressed = EventJson.read(c.payload().getBytes(StandardCharsets.UTF_8), NodeCommand.class);
                if (addressed.clusterId() != null) {
                    busy.add(
                            addressed.nodeId() == null
                                    ? NodeRestarts.clusterKey(addressed.clusterId())
                                    : NodeRestarts.key(addressed.clusterId(), addressed.nodeId()));
                }
            } catch (RuntimeException e) {
                LOG.debugf("unfinished command %s names no node: %s", c.commandId(), e.getMessage());
            }
        }
        return busy;
    }

    private static NodeStatus withMessage(NodeStatus s, String message) {
        return new NodeStatus(
                s.clusterId(),
                s.poolName(),
                s.nodeId(),
                s.state(),
                s.ref(),
                s.ip(),
                s.commandId(),
                message,
                s.observedAt(),
                s.addresses());
    }

    /**
     * A registration first, heartbeats after; only once commands can be received (a paired appliance gets commands).
     * A new connection reports at once: an appliance its link-lost will turned UNREACHABLE is READY again without
     * waiting a heartbeat interval.
     */
    private void report() {
        try {
            Instant connection = link.connectedAt();
            if (!link.ready()
                    || (registered
                            && Objects.equals(connection, reportedConnection)
                            && System.nanoTime() - lastReport
                                    < settings.heartbeatInterval().toNanos())) {
                return;
            }
            lastReport = System.nanoTime();
            reportedConnection = connection;
            GatewayReport report = new GatewayReport(
                            settings.uid(),
                            probe.kind(settings.virtual()),
                            probe.probe(settings.ip(), libvirtInventory()),
                            VERSION,
                            settings.mode(),
                            settings.podCidr(),
                            settings.serviceCidr(),
                            settings.proxy())
                    .onConnection(connection); // makes an older connection's link-lost will stale
            if (registered) {
                reports.queueHeartbeat(EventTypes.GATEWAY_HEARTBEAT, report);
            } else {
                reports.queue(EventTypes.GATEWAY_REGISTERED, report);
                registered = true;
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not prepare a report: %s", e.getMessage());
        }
    }

    private Inventory.Libvirt libvirtInventory() {
        return driver instanceof LibvirtInventorySource source ? source.libvirtInventory() : null;
    }

    private static String describe(GatewaySettings settings) {
        if (settings.identity() instanceof IdentitySource.Enrol enrol) {
            return "enrolment endpoint " + enrol.endpoint();
        }
        IdentitySource.Issued issued = (IdentitySource.Issued) settings.identity();
        return "issued certificate " + issued.certFile() + ", broker " + issued.mqttUrl();
    }

    /** The identity in use (after enrolment), if any. */
    public Optional<DeviceIdentity> identity() {
        return identities.current();
    }

    /** Connected to the broker and subscribed to its commands. */
    public boolean connected() {
        return link.ready();
    }

    public long pendingReports() {
        return store.pendingReportCount();
    }

    public String reportFailure() {
        return reports.lastFailure();
    }

    /** This gateway's metrics ({@code edge-gateway run} serves them when its configuration names an address). */
    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        if (executor != null) {
            executor.close(); // the operation under way ends first; its result waits in the outbox
            consoles.close(); // a read cut short is asked again by its sender
        }
        reports.close();
        identities.close();
        link.close();
        if (driver != null) {
            driver.close();
        }
        store.close();
        tracing.close(); // the last spans go out
        metrics.close();
        LOG.infof("edge gateway for appliance '%s' stopped", settings.uid());
    }
}
