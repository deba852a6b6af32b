package io.edgefleet.gateway.commands;

import io.edgefleet.events.CloudEvent;
import io.edgefleet.events.EventJson;
import io.edgefleet.events.EventTypes;
import io.edgefleet.events.InvalidEventException;
import io.edgefleet.events.TraceContext;
import io.edgefleet.events.payload.CommandProgress;
import io.edgefleet.events.payload.CommandResult;
import io.edgefleet.events.payload.NodeCommand;
import io.edgefleet.events.payload.NodeSpec;
import io.edgefleet.events.payload.NodeStatus;
import io.edgefleet.events.payload.NodeTask;
import io.edgefleet.gateway.metrics.GatewayMetrics;
import io.edgefleet.gateway.nodes.NodeDriver;
import io.edgefleet.gateway.nodes.NodeDriverException;
import io.edgefleet.gateway.reports.ReportOutbox;
import io.edgefleet.gateway.state.LocalStore;
import io.edgefleet.gateway.tasks.NodeTasks;
import io.edgefleet.gateway.tasks.TaskFailedException;
import io.edgefleet.gateway.tasks.TaskResult;
import io.edgefleet.gateway.tracing.GatewayTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs node commands and policy tasks exactly once. A command is recorded in the local store before the
 * broker gets its acknowledgement; a repeat of a finished command is answered with the recorded result
 * (a task's output included), a repeat of one still queued or running with a progress report (the services
 * send a command again when they heard nothing for a while: docs/edge-link.md, "At-least-once across a broker
 * crash"); a command that was running when the gateway died runs again on restart,
 * which is safe because node operations are idempotent (creating an existing node adopts it) and so are
 * the tasks (see {@link NodeTasks}). One lane per node ({@link CommandLanes}): commands of different nodes run side by
 * side, at most {@code maxRunning} at once, and one node's commands run one at a time in the order they arrived (a
 * cleanup waits for its cluster's earlier commands). What they share is safe for that: the {@link LocalStore} is
 * used under its lock, the report outbox is, and the drivers serialise what must not overlap (a cluster's network,
 * libvirt's changes) but not the wait for a node to boot. This class only dispatches: node operations go to the
 * {@link NodeDriver}, policy tasks to {@link NodeTasks}.
 */
public final class CommandExecutor implements AutoCloseable {

    public static final Set<String> NODE_TYPES = Set.of(
            EventTypes.CREATE_NODE,
            EventTypes.DELETE_NODE,
            EventTypes.START_NODE,
            EventTypes.STOP_NODE,
            EventTypes.CLEANUP_CLUSTER);
    /** Every command type the gateway runs: node operations and policy tasks. */
    public static final Set<String> TYPES =
            Stream.concat(NODE_TYPES.stream(), NodeTasks.TYPES.stream()).collect(Collectors.toUnmodifiableSet());

    /** Node operations run side by side on one appliance unless configured otherwise ({@code commands.max-concurrent}). */
    public static final int DEFAULT_MAX_RUNNING = 4;

    private static final Logger LOG = Logger.getLogger(CommandExecutor.class);

    private final LocalStore store;
    private final NodeDriver driver;
    private final NodeTasks tasks;
    private final ReportOutbox reports;
    private final UnaryOperator<NodeSpec> nodeDefaults;
    private final GatewayMetrics metrics;
    private final GatewayTracing tracing;
    /** Commands queued or running: a redelivery while one runs must not queue it again. */
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();

    /** Guarded by itself: which queued command may start. */
    private final CommandLanes lanes;

    private final ExecutorService workers;
    private final Object finishing = new Object();
    private boolean started; // guarded by lanes
    private boolean stopping; // guarded by lanes
    /** Workers waiting for a node to boot, interrupted by a stop; guarded by lanes. */
    private final Set<Thread> booting = new HashSet<>();

    /**
     * @param nodeDefaults adds what every node of this appliance gets (proxy environment, custom CA)
     * @param tasks        runs the policy tasks (scan, backup, restore, patch)
     * @param tracing      a span per command run, in the command's trace
     */
    public CommandExecutor(
            LocalStore store,
            NodeDriver driver,
            NodeTasks tasks,
            ReportOutbox reports,
            UnaryOperator<NodeSpec> nodeDefaults,
            GatewayMetrics metrics,
            String uid,
            GatewayTracing tracing) {
        this(store, driver, tasks, reports, nodeDefaults, metrics, uid, tracing, DEFAULT_MAX_RUNNING);
    }

    /** @param maxRunning how many commands (of different nodes) may run at once */
    public CommandExecutor(
            LocalStore store,
            NodeDriver driver,
            NodeTasks tasks,
            ReportOutbox reports,
            UnaryOperator<NodeSpec> nodeDefaults,
            GatewayMetrics metrics,
            String uid,
            GatewayTracing tracing,
            int maxRunning) {
        this.lanes = new CommandLanes(maxRunning);
        this.tracing = tracing;
        this.store = store;
        this.driver = driver;
        this.tasks = tasks;
        this.reports = reports;
        this.nodeDefaults = nodeDefaults;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(maxRunning, r -> {
            Thread t = new Thread(r, "gateway-commands-" + uid + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Resumes what was unfinished when the gateway stopped, then runs new commands as they come. */
    public CommandExecutor start() {
        store.unfinishedCommands().forEach(c -> {
            LOG.infof("resuming command %s (%s) left %s", c.commandId(), c.type(), c.state());
            scheduled.add(c.commandId());
            enqueue(c.commandId(), laneOf(c.type(), c.payload().getBytes(StandardCharsets.UTF_8)));
        });
        synchronized (lanes) {
            started = true;
        }
        dispatch();
        return this;
    }

    /**
     * Takes a command from the broker. Returns once it is durably recorded (or known): the caller may
     * then acknowledge it.
     */
    public void accept(CloudEvent event) {
        Addressed command;
        try {
            command = Addressed.of(event.type(), event.data());
            if (command.commandId() == null || command.commandId().isBlank()) {
                throw new InvalidEventException("command without commandId");
            }
        } catch (RuntimeException e) { // InvalidEventException among them
            LOG.warnf("ignoring malformed command %s: %s", event.id(), e.getMessage());
            return;
        }
        String json = new String(event.data(), StandardCharsets.UTF_8);
        LocalStore.StoredCommand stored = store.recordCommand(command.commandId(), event.type(), json, event.trace());
        TraceContext trace = event.trace(); // the answers below belong to the trace the command (or its repeat) came in
        switch (stored.state()) {
            case DONE -> answerDone(command.commandId(), stored.result(), trace); // a repeat
            case RECEIVED, RUNNING -> {
                if (scheduled.add(command.commandId())) {
                    // a run of this very command may have ended since it was recorded above (a repeat racing the
                    // result): it is answered, not queued again
                    var now = store.command(command.commandId());
                    if (now.isPresent() && now.get().state() == LocalStore.CommandState.DONE) {
                        scheduled.remove(command.commandId());
                        answerDone(command.commandId(), now.get().result(), trace);
                        return;
                    }
                    progress(
                            command,
                            event.type(),
                            "accepted",
                            "queued on the gateway",
                            trace); // reported before it can start
                    enqueue(command.commandId(), new CommandLanes.Lane(command.clusterId(), command.nodeId()));
                    dispatch();
                } else { // a repeat: the sender heard nothing for a while and must learn that it is under way
                    boolean started = stored.state() == LocalStore.CommandState.RUNNING;
                    boolean answered = progress(
                            command,
                            event.type(),
                            started ? "running" : "queued",
                            started ? "still running on the gateway" : "still queued on the gateway",
                            trace,
                            true);
                    LOG.infof(
                            "command %s is %s already: %s",
                            command.commandId(),
                            started ? "running" : "queued",
                            answered ? "answering with progress" : "a report about it waits to be sent already");
                }
            }
        }
    }

    private void enqueue(String commandId, CommandLanes.Lane lane) {
        synchronized (lanes) {
            lanes.add(commandId, lane);
        }
    }

    /** The lane of a recorded command; one whose payload cannot be read holds every lane (it fails on its own). */
    private static CommandLanes.Lane laneOf(String type, byte[] payload) {
        try {
            Addressed to = Addressed.of(type, payload);
            return new CommandLanes.Lane(to.clusterId(), to.nodeId());
        } catch (RuntimeException e) {
            return new CommandLanes.Lane(null, null);
        }
    }

    /** Starts every queued command whose lane is free, within the bound. */
    private void dispatch() {
        synchronized (lanes) {
            if (!started || stopping) {
                return;
            }
            for (String commandId : lanes.startable()) {
                workers.execute(() -> runOne(commandId));
            }
        }
    }

    private void runOne(String commandId) {
        try {
            store.command(commandId)
                    .filter(c -> c.state() != LocalStore.CommandState.DONE)
                    .ifPresent(this::execute);
        } catch (RuntimeException e) { // e.g. the store closed under a stop: the command stays recorded and resumes
            LOG.errorf(e, "command %s could not be carried out", commandId);
        } finally {
            synchronized (lanes) { // together: a redelivery from now on is queued afresh, into an empty lane
                lanes.done(commandId);
                scheduled.remove(commandId);
            }
            dispatch(); // the node's next command, or another node's held back by the bound
        }
    }

    private void execute(LocalStore.StoredCommand stored) {
        byte[] payload = stored.payload().getBytes(StandardCharsets.UTF_8);
        Addressed to = Addressed.of(stored.type(), payload);
        LOG.infof( // with the lanes, which command ran when is worth a line each
                "running command %s (%s) for node %s of cluster %s",
                to.commandId(), stored.type(), to.nodeId(), to.clusterId());
        // one span per run, a child of the bridge's relay of the command; its progress and result carry it on
        Span span = tracing.commandSpan(stored.type(), to.commandId(), to.clusterId(), to.nodeId(), stored.trace());
        TraceContext trace = GatewayTracing.contextOf(span);
        long started = System.nanoTime();
        try {
            CommandResult result;
            try {
                result = NodeTasks.TYPES.contains(stored.type())
                        ? executeTask(stored, EventJson.read(payload, NodeTask.class), trace)
                        : executeNodeCommand(stored, EventJson.read(payload, NodeCommand.class), trace);
            } catch (LeftForNextStart e) { // recorded RUNNING, not finished: the next start runs it again
                LOG.infof(
                        "command %s (%s): the gateway stops while node %s boots; it resumes on the next start",
                        to.commandId(), stored.type(), to.nodeId());
                span.setAttribute("edgefleet.outcome", "LEFT_FOR_NEXT_START");
                return;
            }
            metrics.commandDone(stored.type(), result.outcome(), System.nanoTime() - started);
            span.setAttribute("edgefleet.outcome", String.valueOf(result.outcome()));
            if (result.outcome() == CommandResult.Outcome.FAILED) {
                span.setStatus(StatusCode.ERROR, String.valueOf(result.message()));
            }
            synchronized (finishing) { // results leave in the order of their finishedAt, whichever lane ran them
                String json = new String(EventJson.write(finishedNow(result)), StandardCharsets.UTF_8);
                store.finish(
                        stored.commandId(), json, UUID.randomUUID().toString(), EventTypes.COMMAND_COMPLETED, trace);
            }
            reports.wake();
        } finally {
            span.end();
        }
    }

    private CommandResult executeNodeCommand(LocalStore.StoredCommand stored, NodeCommand command, TraceContext trace) {
        Addressed to = new Addressed(command.commandId(), command.clusterId(), command.nodeId());
        store.markRunning(stored.commandId());
        progress(to, stored.type(), "started", "running on the node driver", trace);
        try {
            NodeStatus node = run(stored.type(), command, trace);
            rememberIntent(stored.type(), command);
            return new CommandResult(
                    command.commandId(),
                    stored.type(),
                    command.clusterId(),
                    command.nodeId(),
                    CommandResult.Outcome.SUCCEEDED,
                    null,
                    node,
                    Instant.now());
        } catch (LeftForNextStart e) {
            throw e;
        } catch (NodeDriverException | RuntimeException e) {
            LOG.warnf("command %s (%s) failed: %s", command.commandId(), stored.type(), e.getMessage());
            return new CommandResult(
                    command.commandId(),
                    stored.type(),
                    command.clusterId(),
                    command.nodeId(),
                    CommandResult.Outcome.FAILED,
                    String.valueOf(e.getMessage()),
                    null,
                    Instant.now());
        }
    }

    /**
     * What the succeeded command made of the node, for the reconcile on the next start: a created or started node
     * should run, a stopped one stay stopped, a deleted one is forgotten. A failure to record it is logged, not the
     * command's: the node operation itself was done.
     */
    private void rememberIntent(String type, NodeCommand command) {
        try {
            switch (type) {
                case EventTypes.CREATE_NODE, EventTypes.START_NODE ->
                    store.nodeIntent(command.clusterId(), command.nodeId(), LocalStore.NodeIntent.RUNNING);
                case EventTypes.STOP_NODE ->
                    store.nodeIntent(command.clusterId(), command.nodeId(), LocalStore.NodeIntent.STOPPED);
                case EventTypes.DELETE_NODE -> store.nodeIntent(command.clusterId(), command.nodeId(), null);
                case EventTypes.CLEANUP_CLUSTER -> store.forgetClusterIntents(command.clusterId());
                default -> {}
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "command %s (%s): cannot record the node's intent: %s", command.commandId(), type, e.getMessage());
        }
    }

    /** A policy task: SUCCEEDED when it ran (a scan whose checks fail too), FAILED when it could not be carried out. */
    private CommandResult executeTask(LocalStore.StoredCommand stored, NodeTask task, TraceContext trace) {
        Addressed to = new Addressed(task.commandId(), task.clusterId(), task.nodeId());
        store.markRunning(stored.commandId());
        progress(to, stored.type(), "started", "running on the gateway", trace);
        try {
            TaskResult done = tasks.run(
                    stored.type(), task, (step, message) -> progress(to, stored.type(), step, message, trace));
            return new CommandResult(
                    task.commandId(),
                    stored.type(),
                    task.clusterId(),
                    task.nodeId(),
                    CommandResult.Outcome.SUCCEEDED,
                    done.message(),
                    done.node(),
                    Instant.now(),
                    done.output());
        } catch (TaskFailedException e) {
            LOG.warnf(
                    "task %s (%s) on node %s failed: %s",
                    task.commandId(), stored.type(), task.nodeId(), e.getMessage());
            return new CommandResult(
                    task.commandId(),
                    stored.type(),
                    task.clusterId(),
                    task.nodeId(),
                    CommandResult.Outcome.FAILED,
                    e.getMessage(),
                    null,
                    Instant.now(),
                    e.output());
        } catch (RuntimeException e) {
            LOG.errorf(e, "task %s (%s) on node %s broke", task.commandId(), stored.type(), task.nodeId());
            return new CommandResult(
                    task.commandId(),
                    stored.type(),
                    task.clusterId(),
                    task.nodeId(),
                    CommandResult.Outcome.FAILED,
                    "the gateway could not carry out the task: " + e,
                    null,
                    Instant.now(),
                    null);
        }
    }

    private static CommandResult finishedNow(CommandResult r) {
        return new CommandResult(
                r.commandId(),
                r.commandType(),
                r.clusterId(),
                r.nodeId(),
                r.outcome(),
                r.message(),
                r.node(),
                Instant.now(),
                r.output());
    }

    /** Who a command is for, from either payload (node command or policy task). */
    private record Addressed(String commandId, String clusterId, String nodeId) {
        static Addressed of(String type, byte[] data) {
            if (NodeTasks.TYPES.contains(type)) {
                NodeTask t = EventJson.read(data, NodeTask.class);
                return new Addressed(t.commandId(), t.clusterId(), t.nodeId());
            }
            NodeCommand c = EventJson.read(data, NodeCommand.class);
            return new Addressed(c.commandId(), c.clusterId(), c.nodeId());
        }
    }

    private NodeStatus run(String type, NodeCommand command, TraceContext trace) throws NodeDriverException {
        return switch (type) {
            case EventTypes.CREATE_NODE -> {
                if (command.spec() == null) {
                    throw new NodeDriverException("create-node command without a node spec");
                }
                yield ready(
                        command, type, driver.create(nodeDefaults.apply(command.spec()), command.commandId()), trace);
            }
            case EventTypes.DELETE_NODE -> driver.delete(command.clusterId(), command.nodeId());
            case EventTypes.START_NODE ->
                ready(command, type, driver.start(command.clusterId(), command.nodeId()), trace);
            case EventTypes.STOP_NODE -> driver.stop(command.clusterId(), command.nodeId());
            case EventTypes.CLEANUP_CLUSTER -> {
                driver.cleanupCluster(command.clusterId());
                yield null;
            }
            default -> throw new NodeDriverException("unknown command type " + type);
        };
    }

    /**
     * A created or started node counts as running once it is ready (a virtual machine has booted): the command ends
     * then, and its progress reports keep the service's command timeout from running out meanwhile.
     */
    private NodeStatus ready(NodeCommand command, String type, NodeStatus started, TraceContext trace)
            throws NodeDriverException {
        Addressed to = new Addressed(command.commandId(), command.clusterId(), command.nodeId());
        Thread self = Thread.currentThread();
        synchronized (lanes) {
            booting.add(self);
            if (stopping) { // the stop came while the node was being made: a wait is cut at once, a ready node ends
                self.interrupt();
            }
        }
        try {
            return driver.awaitReady(started, message -> progress(to, type, "booting", message, trace));
        } catch (NodeDriverException | RuntimeException e) { // an interrupted engine call may throw either
            synchronized (lanes) {
                if (stopping) { // the stop cut the wait (or the node failed just then: the next start tells)
                    throw new LeftForNextStart();
                }
            }
            throw e;
        } finally {
            synchronized (lanes) {
                booting.remove(self);
            }
            Thread.interrupted(); // a stop's interrupt that came as the wait ended must not reach the store
        }
    }

    /**
     * A stop cut the wait for a node to boot: the command is left RUNNING in the store (not finished, no result) and
     * runs again on the next start, where its create or start finds the node made and waits for it again.
     */
    private static final class LeftForNextStart extends RuntimeException {
        LeftForNextStart() {
            super("left for the next start", null, false, false);
        }
    }

    private void progress(Addressed command, String type, String step, String message, TraceContext trace) {
        progress(command, type, step, message, trace, false);
    }

    /**
     * @param repeat it answers a repeat of the command: not queued while a report about the command waits already
     * @return whether it was queued
     */
    private boolean progress(
            Addressed command, String type, String step, String message, TraceContext trace, boolean repeat) {
        CommandProgress report = new CommandProgress(
                command.commandId(), type, command.clusterId(), command.nodeId(), step, message, Instant.now());
        if (repeat) {
            return reports.answerRepeat(EventTypes.COMMAND_PROGRESS, json(report), command.commandId(), trace);
        }
        reports.queueAboutCommand(EventTypes.COMMAND_PROGRESS, report, command.commandId(), trace);
        return true;
    }

    /**
     * A repeat of a finished command: answered with the recorded result, unless a report about the command still
     * waits in the outbox (the result itself, typically, when the link is slow): the sender hears from that one.
     */
    private void answerDone(String commandId, String result, TraceContext trace) {
        boolean answered = reports.answerRepeat(EventTypes.COMMAND_COMPLETED, result, commandId, trace);
        LOG.infof(
                "command %s was done before: %s",
                commandId, answered ? "answering with the recorded result" : "its result waits to be sent already");
    }

    private static String json(Object payload) {
        return new String(EventJson.write(payload), StandardCharsets.UTF_8);
    }

    /** Commands waiting for their lane or for the bound. */
    public int queued() {
        synchronized (lanes) {
            return lanes.queued();
        }
    }

    @Override
    public void close() {
        // node operations under way finish first, but not the wait for a node to boot; queued ones do not start:
        // they stay recorded (not done) and resume on the next start, so a stop is prompt and nothing is lost
        synchronized (lanes) {
            stopping = true;
            lanes.dropQueued();
            // with lanes several nodes may be booting (a VM: minutes): a stop does not wait for them, their
            // commands resume on the next start
            booting.forEach(Thread::interrupt);
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("commands still running after 60 s: left to resume on the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
