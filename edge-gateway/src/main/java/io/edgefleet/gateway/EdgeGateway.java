package io.edgefleet.gateway;

import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.GatewayReport;
import io.edgefleet.gateway.credentials.TokenSource;
import io.edgefleet.gateway.inventory.InventoryProbe;
import io.edgefleet.gateway.reports.ReportSender;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway process: registers the appliance, then heartbeats. Every report carries the full
 * inventory, so the first one that gets through pairs the appliance; a report that cannot be sent
 * is replaced by the next one.
 */
public final class EdgeGateway implements AutoCloseable {

    public static final String VERSION = "0.1.0";
    private static final Logger LOG = Logger.getLogger(EdgeGateway.class);

    private final GatewaySettings settings;
    private final InventoryProbe probe;
    private final ReportSender sender;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean registered;
    private volatile String lastFailure;

    public EdgeGateway(GatewaySettings settings, InventoryProbe probe, TokenSource tokens) {
        this.settings = settings;
        this.probe = probe;
        this.sender = new ReportSender(settings.bootstrapServers(), settings.uid(), settings.tenant(), tokens, settings.sendTimeout());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-heartbeat-" + settings.uid());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts reporting: registration first, then a heartbeat every interval. */
    public EdgeGateway start() {
        LOG.infof("edge gateway %s starting: appliance '%s', tenant %s, brokers %s, heartbeat every %ss",
                VERSION, settings.uid(), settings.tenant(), settings.bootstrapServers(), settings.heartbeatInterval().toSeconds());
        scheduler.scheduleWithFixedDelay(this::report, 0, settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One report: a registration until one got through, heartbeats after. */
    void report() {
        String type = registered ? EventTypes.GATEWAY_HEARTBEAT : EventTypes.GATEWAY_REGISTERED;
        try {
            sender.send(type, currentReport());
            sent.incrementAndGet();
            if (!registered) {
                LOG.infof("registration of appliance '%s' sent", settings.uid());
            }
            registered = true;
            if (lastFailure != null) {
                LOG.infof("reports get through again");
                lastFailure = null;
            }
        } catch (ReportSender.ReportNotSentException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                LOG.warnf("report not sent (next one in %ss): %s", settings.heartbeatInterval().toSeconds(), e.getMessage());
            }
            lastFailure = String.valueOf(e.getMessage());
        }
    }

    GatewayReport currentReport() {
        return new GatewayReport(settings.uid(), probe.kind(settings.virtual()), probe.probe(settings.ip(), null),
                VERSION, settings.mode(), settings.podCidr(), settings.serviceCidr(), settings.proxy());
    }

    public long reportsSent() {
        return sent.get();
    }

    public boolean healthy() {
        return lastFailure == null;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
        LOG.infof("edge gateway for appliance '%s' stopped", settings.uid());
    }
}
