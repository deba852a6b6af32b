package io.edgefleet.gateway.reports;

import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.TraceContext;
import io.edgefleet.gateway.link.UnsendableException;
import io.edgefleet.gateway.metrics.GatewayMetrics;
import io.edgefleet.gateway.state.LocalStore;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Every report is written to the local store first and sent from there, in order, one at a time, by one
 * thread: nothing is lost when the gateway restarts or the broker is unreachable (offline mode, flaky
 * link), and everything goes out once the link returns. A report is deleted only after the broker's
 * successful PUBACK (and the bridge acknowledges only once Kafka has it, so the order holds end to end); one
 * that was sent but not yet deleted when the gateway died is sent again with the same event id, which
 * consumers deduplicate. A report the broker refuses (e.g. "not authorized") stays first in line and is tried
 * again with a growing pause, with an error in the log: it will not pass until someone fixes the cause.
 */
public final class ReportOutbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReportOutbox.class);
    private static final int BATCH = 100;
    private static final long MAX_BACKOFF_MS = 15_000;
    private static final long MAX_REFUSED_BACKOFF_MS = 60_000;
    private static final long LINK_GRACE_MS = 30_000;
    private static final long REPEAT_REFUSAL_LOG_MS = 10 * 60_000;

    private final String uid;
    private final LocalStore store;
    private final ReportSender sender;
    private final GatewayMetrics metrics;
    private final Thread thread;
    private final Object wakeUp = new Object();
    /** Set by {@link #wake}, cleared by {@link #idle}; guarded by {@code wakeUp}. */
    private boolean nudged;

    private volatile boolean running = true;
    private volatile String lastFailure;

    public ReportOutbox(LocalStore store, ReportSender sender, GatewayMetrics metrics, String uid) {
        this.uid = uid;
        this.store = store;
        this.sender = sender;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "gateway-reports-" + uid);
        this.thread.setDaemon(true);
    }

    public ReportOutbox start() {
        thread.start();
        return this;
    }

    /** Queues a report; returns its event id. */
    public String queue(String type, Object payload) {
        return queue(type, json(payload), false);
    }

    /** Queues a heartbeat: replaces a heartbeat that is still waiting. */
    public String queueHeartbeat(String type, Object payload) {
        return queue(type, json(payload), true);
    }

    /** Queues a report in the trace {@code trace} (a command's progress: the command's); returns its event id. */
    public String queue(String type, Object payload, TraceContext trace) {
        return queue(type, json(payload), false, trace);
    }

    /** Queues a report whose payload is already JSON. */
    public String queue(String type, String payloadJson, boolean replaceable) {
        return queue(type, payloadJson, replaceable, null);
    }

    /** Queues a report whose payload is already JSON, in the trace {@code trace} (null: none). */
    public String queue(String type, String payloadJson, boolean replaceable, TraceContext trace) {
        String eventId = UUID.randomUUID().toString();
        store.queueReport(eventId, type, payloadJson, replaceable, trace);
        wake();
        return eventId;
    }

    /** Queues a report about command {@code commandId} (its progress) in the command's trace; returns its event id. */
    public String queueAboutCommand(String type, Object payload, String commandId, TraceContext trace) {
        String eventId = UUID.randomUUID().toString();
        store.queueCommandReport(eventId, type, json(payload), commandId, trace);
        wake();
        return eventId;
    }

    /**
     * Answers a repeat of command {@code commandId}, unless a report about it still waits here (it answers the repeat
     * when it goes out; see {@link LocalStore#queueAnswer}). Returns whether the answer was queued.
     */
    public boolean answerRepeat(String type, String payloadJson, String commandId, TraceContext trace) {
        boolean queued = store.queueAnswer(UUID.randomUUID().toString(), type, payloadJson, commandId, trace);
        if (queued) {
            wake();
        }
        return queued;
    }

    /** Nudges the sender, e.g. after a result was stored together with its report. */
    public void wake() {
        synchronized (wakeUp) {
            nudged = true; // remembered: a nudge while the sender is busy sending must not be lost
            wakeUp.notifyAll();
        }
    }

    public String lastFailure() {
        return lastFailure;
    }

    private void run() {
        long backoff = 0;
        long refusalLoggedAt = 0;
        long downSince = 0;
        boolean sentBefore = false;
        while (running) {
            try {
                if (!sender.ready()) { // starting up, or the link is down: nothing to try
                    long now = System.currentTimeMillis();
                    downSince = downSince == 0 ? now : downSince;
                    if (sentBefore || now - downSince > LINK_GRACE_MS) { // quiet while the first connection is made
                        String why = "not connected to the broker"
                                + (sender.linkError() == null ? " yet" : " (" + sender.linkError() + ")");
                        if (!why.equals(lastFailure)) {
                            LOG.warnf("reports wait locally (%d queued): %s", store.pendingReportCount(), why);
                        }
                        lastFailure = why;
                    }
                    idle(1_000);
                    continue;
                }
                downSince = 0;
                List<LocalStore.PendingReport> pending = store.pendingReports(BATCH);
                for (LocalStore.PendingReport report : pending) {
                    if (send(report)) {
                        metrics.reportSent(report.type());
                    } else {
                        metrics.reportDropped();
                    }
                    store.reportSent(report.seq());
                    sentBefore = true;
                    if (EventTypes.GATEWAY_REGISTERED.equals(report.type())) {
                        LOG.infof("registration of appliance '%s' sent", uid);
                    }
                }
                if (lastFailure != null) {
                    LOG.infof("reports get through again (%d waiting)", store.pendingReportCount());
                    lastFailure = null;
                }
                backoff = 0;
                if (pending.size() < BATCH) {
                    idle(1_000);
                }
            } catch (ReportSender.ReportRefusedException e) {
                metrics.reportNotSent("refused");
                long now = System.currentTimeMillis();
                if (!String.valueOf(e.getMessage()).equals(lastFailure)
                        || now - refusalLoggedAt > REPEAT_REFUSAL_LOG_MS) {
                    LOG.errorf(
                            "%s; %d report(s) wait locally and are offered again (is this appliance cut off? its ACL entry, "
                                    + "its certificate?)",
                            e.getMessage(), store.pendingReportCount());
                    refusalLoggedAt = now;
                }
                lastFailure = String.valueOf(e.getMessage());
                backoff = Math.min(Math.max(backoff * 2, 1_000), MAX_REFUSED_BACKOFF_MS);
                if (!sleep(backoff)) {
                    return;
                }
            } catch (ReportSender.ReportNotSentException | RuntimeException e) {
                metrics.reportNotSent("failed");
                if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                    LOG.warnf(
                            "reports wait locally (%d queued), retrying: %s",
                            store.pendingReportCount(), e.getMessage());
                }
                lastFailure = String.valueOf(e.getMessage());
                backoff = Math.min(Math.max(backoff * 2, 500), MAX_BACKOFF_MS);
                if (!sleep(backoff)) { // not cut short by new reports: the link is down
                    return;
                }
            }
        }
    }

    /**
     * Sends one report; one that no broker can ever take is dropped, loudly, so it cannot hold up the others (false).
     */
    private boolean send(LocalStore.PendingReport report)
            throws ReportSender.ReportNotSentException, ReportSender.ReportRefusedException {
        try {
            sender.send(report.eventId(), report.type(), report.payload(), report.createdAt(), report.trace());
            return true;
        } catch (UnsendableException e) {
            LOG.errorf(
                    "dropping report %s (%s, %d bytes): %s",
                    report.eventId(), report.type(), report.payload().length(), e.getMessage());
            return false;
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException interrupted) {
            return false;
        }
    }

    /** Waits for a nudge (or {@code millis}); returns at once when one came since the last wait. */
    private void idle(long millis) {
        synchronized (wakeUp) {
            try {
                if (!nudged) {
                    wakeUp.wait(millis);
                }
                nudged = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private static String json(Object payload) {
        return new String(EventJson.write(payload), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender != null) {
            sender.close();
        }
    }
}
