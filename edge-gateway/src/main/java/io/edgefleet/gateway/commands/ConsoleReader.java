package io.edgefleet.gateway.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeConsole;
import io.edgefleet.events.payload.NodeConsoleRequest;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.reports.ReportOutbox;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code read-node-console} with a {@code node.console} report. A read changes nothing, so it is neither
 * recorded nor queued behind the node commands (which run one at a time, and a create-node may wait minutes for a
 * guest to boot — just when its console is wanted): it runs on its own thread, and a repeat is read again. A few
 * reads may wait; more are dropped with a warning (the service answers its caller that the read is still pending).
 */
public final class ConsoleReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsoleReader.class);
    private static final int WAITING = 16;

    private final NodeDriver driver;
    private final ReportOutbox reports;
    private final ThreadPoolExecutor thread;

    public ConsoleReader(NodeDriver driver, ReportOutbox reports, String uid) {
        this.driver = driver;
        this.reports = reports;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WAITING), r -> {
            Thread t = new Thread(r, "gateway-console-" + uid);
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes a read off the link; returns at once (the link may acknowledge it: a lost read is simply asked again). */
    public void accept(CloudEvent event) {
        NodeConsoleRequest request;
        try {
            request = EventJson.read(event.data(), NodeConsoleRequest.class);
            if (request.commandId() == null || request.clusterId() == null || request.nodeId() == null) {
                throw new IllegalArgumentException("read without commandId, clusterId or nodeId");
            }
        } catch (RuntimeException e) {
            LOG.warnf("ignoring malformed console read %s: %s", event.id(), e.getMessage());
            return;
        }
        try {
            thread.execute(() -> answer(request, event));
        } catch (RejectedExecutionException e) {
            LOG.warnf("console read %s dropped: %d reads wait already", request.commandId(), WAITING);
        }
    }

    private void answer(NodeConsoleRequest request, CloudEvent event) {
        // the sender's limits, kept within the contract's whatever it asked
        int lines = Math.max(1, Math.min(request.lines(), NodeConsoleRequest.MAX_LINES));
        int maxBytes = Math.max(1, Math.min(request.maxBytes(), NodeConsoleRequest.MAX_BYTES));
        NodeConsole answer;
        try {
            NodeDriver.NodeConsoleTail read = driver.console(request.clusterId(), request.nodeId(), lines, maxBytes);
            answer = new NodeConsole(
                    request.commandId(),
                    request.clusterId(),
                    request.nodeId(),
                    CommandResult.Outcome.SUCCEEDED,
                    null,
                    read.source(),
                    read.tail().lines(),
                    read.tail().truncated(),
                    Instant.now());
        } catch (NodeDriverException | RuntimeException e) {
            LOG.infof("console read %s of node %s: %s", request.commandId(), request.nodeId(), e.getMessage());
            answer = new NodeConsole(
                    request.commandId(),
                    request.clusterId(),
                    request.nodeId(),
                    CommandResult.Outcome.FAILED,
                    String.valueOf(e.getMessage()),
                    null,
                    List.of(),
                    false,
                    Instant.now());
        }
        reports.queue(EventTypes.NODE_CONSOLE, answer, event.trace());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
