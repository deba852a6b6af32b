package io.edgefleet.gateway;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.gateway.commands.CommandConsumer;
import io.edgefleet.gateway.commands.CommandExecutor;
import io.edgefleet.gateway.credentials.TokenSource;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.inventory.LibvirtInventorySource;
import io.edgefleet.gateway.nodes.ApplianceNodeDefaults;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.reports.ReportOutbox;
import io.edgefleet.gateway.reports.ReportSender;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tasks.NodeTasks;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway process. On start it reconciles (reports the nodes that really exist, removes
 * nothing), resumes unfinished commands, starts reading its commands, and then registers and
 * heartbeats. Every report goes through the durable local outbox.
 */
public final class EdgeGateway implements AutoCloseable {

    public static final String VERSION = "0.2.0";
    private static final Logger LOG = Logger.getLogger(EdgeGateway.class);

    private final GatewaySettings settings;
    private final InventoryProbe probe;
    private final NodeDriver driver;
    private final LocalStore store;
    private final ReportOutbox reports;
    private final CommandExecutor executor;
    private final CommandConsumer commands;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean registered;

    /** @param driver the node driver for this appliance's kind; null for a gateway that only reports */
    public EdgeGateway(GatewaySettings settings, InventoryProbe probe, TokenSource tokens, NodeDriver driver) {
        this.settings = settings;
        this.probe = probe;
        this.driver = driver;
        this.store = new LocalStore(settings.stateDir());
        this.reports = new ReportOutbox(store, new ReportSender(settings.bootstrapServers(), settings.uid(), settings.tenant(),
                tokens, settings.sendTimeout()), settings.uid());
        if (driver != null) {
            List<String> clusterRanges = new ArrayList<>();
            if (settings.podCidr() != null) {
                clusterRanges.add(settings.podCidr());
            }
            if (settings.serviceCidr() != null) {
                clusterRanges.add(settings.serviceCidr());
            }
            ApplianceNodeDefaults nodeDefaults = new ApplianceNodeDefaults(settings.proxy(), settings.caPem(), clusterRanges);
            NodeTasks tasks = new NodeTasks(driver, store, nodeDefaults, settings.stateDir().resolve("tasks"));
            this.executor = new CommandExecutor(store, driver, tasks, reports, nodeDefaults, settings.uid());
            this.commands = new CommandConsumer(settings.bootstrapServers(), settings.uid(), settings.tenant(), executor::accept);
        } else {
            this.executor = null;
            this.commands = null;
        }
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-heartbeat-" + settings.uid());
            t.setDaemon(true);
            return t;
        });
    }

    public EdgeGateway start() {
        LOG.infof("edge gateway %s starting: appliance '%s', tenant %s, brokers %s, %s mode, %s", VERSION, settings.uid(),
                settings.tenant(), settings.bootstrapServers(), settings.mode(), driver == null ? "no node driver" : driver.getClass().getSimpleName());
        reports.start();
        if (driver != null) {
            reconcile();
            driver.watch(node -> reports.queue(EventTypes.NODE_OBSERVED, node));
            executor.start();
            commands.start();
        }
        heartbeat.scheduleWithFixedDelay(this::report, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Reports every node that really runs here, as it is; nothing is removed. */
    private void reconcile() {
        try {
            var nodes = driver.list();
            nodes.forEach(node -> reports.queue(EventTypes.NODE_OBSERVED, node));
            LOG.infof("reconciled: %d node(s) found on this appliance", nodes.size());
        } catch (NodeDriverException | RuntimeException e) {
            LOG.warnf("cannot list the nodes on this appliance yet: %s", e.getMessage());
        }
    }

    /** A registration first, heartbeats after; only once commands can be received (a paired appliance gets commands). */
    private void report() {
        try {
            if (commands != null && !commands.ready()) {
                return;
            }
            GatewayReport report = new GatewayReport(settings.uid(), probe.kind(settings.virtual()),
                    probe.probe(settings.ip(), libvirtInventory()), VERSION, settings.mode(), settings.podCidr(),
                    settings.serviceCidr(), settings.proxy());
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

    private io.edgefleet.events.payload.Inventory.Libvirt libvirtInventory() {
        return driver instanceof LibvirtInventorySource source ? source.libvirtInventory() : null;
    }

    public long pendingReports() {
        return store.pendingReportCount();
    }

    public String reportFailure() {
        return reports.lastFailure();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        if (commands != null) {
            commands.close();
            executor.close();
        }
        reports.close();
        if (driver != null) {
            driver.close();
        }
        store.close();
        LOG.infof("edge gateway for appliance '%s' stopped", settings.uid());
    }
}
