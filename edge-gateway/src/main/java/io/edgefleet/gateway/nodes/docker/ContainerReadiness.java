package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.command.HealthState;
import com.github.dockerjava.api.command.HealthStateLog;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.edgefleet.gateway.nodes.NodeDriverException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Whether a started node container is ready: the engine reports its health check ({@link NodeHealth}) {@code healthy},
 * or the same check, run by the gateway in the node, passes. The engine of API 1.41 runs the first check one whole
 * interval (3 s) after the start and has no shorter start interval, so a node up in a few hundred milliseconds would
 * wait for it: while the engine says {@code starting}, {@link #await} runs the check itself, soon after the start and
 * then less often. {@link #judge} decides from one inspection (no I/O).
 */
final class ContainerReadiness {

    /** Log lines a readiness failure quotes. */
    static final int LOG_LINES = 20;

    private static final Duration POLL = Duration.ofSeconds(1);
    /** The gateway's own runs of the check: the first at once, then after this pause, each next pause twice as long. */
    private static final Duration FIRST_PROBE_PAUSE = Duration.ofMillis(50);

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** The last check's output, as much as a message quotes. */
    private static final int OUTPUT_CHARS = 300;

    enum Verdict {
        GONE,
        NOT_RUNNING,
        STARTING,
        UNHEALTHY,
        READY
    }

    /** What one look found, and why in words. */
    record Seen(Verdict verdict, String reason) {}

    private ContainerReadiness() {}

    /** A ready node: its last inspection, and why it is ready in words. */
    record Ready(InspectContainerResponse container, String reason) {}

    /** One run of the node's check by the gateway: its exit code and output. */
    record CheckRun(int exitCode, String output) {}

    /** Runs the node's check in the (running) container once, now. */
    @FunctionalInterface
    interface Probe {
        CheckRun run(InspectContainerResponse container) throws NodeDriverException;
    }

    /** The container as the engine sees it now; null when it is gone. */
    @FunctionalInterface
    interface Inspection {
        InspectContainerResponse get() throws NodeDriverException;
    }

    /**
     * @param running      the engine says the container runs
     * @param dockerStatus the engine's status word (running, exited, ...)
     * @param health       the engine's health state; null for a container made without a health check (before the
     *                     gateway set one): it is ready once it runs
     */
    static Seen judge(boolean running, String dockerStatus, HealthState health) {
        if (!running) {
            return new Seen(Verdict.NOT_RUNNING, "the container is not running (" + dockerStatus + ")");
        }
        if (health == null || health.getStatus() == null || "none".equals(health.getStatus())) {
            return new Seen(Verdict.READY, "ready: running (the container has no health check)");
        }
        String last = lastCheck(health.getLog());
        return switch (health.getStatus()) {
            case "healthy" -> new Seen(Verdict.READY, "ready: the node's health check passed");
            case "unhealthy" -> new Seen(Verdict.UNHEALTHY, "the node's health check fails" + last);
            default ->
                new Seen(
                        Verdict.STARTING,
                        last.isEmpty()
                                ? "the node's health check has not run yet"
                                : "the node's health check has not passed yet" + last);
        };
    }

    /** ": last check exited 1: output" of the newest check, or "" when none ran. */
    static String lastCheck(List<HealthStateLog> log) {
        if (log == null || log.isEmpty()) {
            return "";
        }
        HealthStateLog newest = log.get(log.size() - 1);
        return lastCheck(newest.getExitCodeLong(), newest.getOutput());
    }

    private static String lastCheck(Object exitCode, String output) {
        String shown = output == null ? "" : output.strip();
        if (shown.length() > OUTPUT_CHARS) {
            shown = shown.substring(0, OUTPUT_CHARS) + "...";
        }
        return " (last check exited " + exitCode + (shown.isEmpty() ? ", no output)" : ": " + shown + ")");
    }

    /**
     * What the engine's inspection and the gateway's own run of the check say together: the run passing makes a
     * running node ready whatever the engine still reports; a failed run is the newest reason it is not.
     */
    static Seen judge(Seen engine, CheckRun run) {
        if (run == null || (engine.verdict() != Verdict.STARTING && engine.verdict() != Verdict.UNHEALTHY)) {
            return engine;
        }
        if (run.exitCode() == 0) {
            return new Seen(Verdict.READY, "ready: the node's health check passed");
        }
        return new Seen(
                engine.verdict(),
                (engine.verdict() == Verdict.UNHEALTHY
                                ? "the node's health check fails"
                                : "the node's health check has not passed yet")
                        + lastCheck(run.exitCode(), run.output()));
    }

    static Seen look(InspectContainerResponse c) {
        if (c == null) {
            return new Seen(Verdict.GONE, "the container is gone");
        }
        InspectContainerResponse.ContainerState s = c.getState();
        return judge(Boolean.TRUE.equals(s.getRunning()), s.getStatus(), s.getHealth());
    }

    /**
     * Waits until the node is ready or {@code timeout} has passed, telling {@code progress} what it waits for every few
     * seconds. A container that stops or goes meanwhile fails at once; an {@code unhealthy} one is waited for until the
     * timeout (its start period is as long, so it is unhealthy only if it really stopped answering).
     *
     * @param inspect  the container as the engine sees it now (null when gone)
     * @param probe    runs the node's check once now; null when the container has no check
     * @param logLines the container log's last lines, read only when it fails
     * @return the last inspection, and why it is ready
     */
    static Ready await(
            String name,
            Inspection inspect,
            Probe probe,
            Duration timeout,
            Consumer<String> progress,
            IntFunction<List<String>> logLines)
            throws NodeDriverException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextProgress = start;
        Duration probePause = FIRST_PROBE_PAUSE;
        Seen seen;
        while (true) {
            InspectContainerResponse c = inspect.get();
            seen = look(c);
            if (probe != null && (seen.verdict() == Verdict.STARTING || seen.verdict() == Verdict.UNHEALTHY)) {
                seen = judge(seen, runQuietly(probe, c));
            }
            long now = System.nanoTime();
            if (seen.verdict() == Verdict.READY) {
                return new Ready(c, seen.reason());
            }
            if (seen.verdict() == Verdict.GONE || seen.verdict() == Verdict.NOT_RUNNING || now >= deadline) {
                break;
            }
            if (now >= nextProgress) {
                progress.accept("booting: " + seen.reason() + ", waited " + TimeUnit.NANOSECONDS.toSeconds(now - start)
                        + " s of " + timeout.toSeconds() + " s");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            // the engine's health check runs at its interval: polled, not notified; the gateway's own runs start soon
            // after the start and back off to the same pace
            Duration pause = probe == null ? POLL : probePause;
            probePause = probePause.multipliedBy(2).compareTo(POLL) > 0 ? POLL : probePause.multipliedBy(2);
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NodeDriverException("waiting for node " + name + " to be ready was interrupted");
            }
        }
        List<String> lines = seen.verdict() == Verdict.GONE ? List.of() : logLines.apply(LOG_LINES);
        boolean stopped = seen.verdict() != Verdict.STARTING && seen.verdict() != Verdict.UNHEALTHY;
        throw new NodeDriverException("node " + name + " is not ready "
                + (stopped ? "(it stopped while booting)" : "after " + timeout.toSeconds() + " s")
                + ": " + seen.reason()
                + (lines.isEmpty()
                        ? "; its log is empty"
                        : "; the container log's last lines:\n" + String.join("\n", lines)));
    }

    /** A run that could not be made (the node stopped meanwhile, the engine refused) tells nothing: null. */
    private static CheckRun runQuietly(Probe probe, InspectContainerResponse container) {
        try {
            return probe.run(container);
        } catch (NodeDriverException e) {
            return null;
        }
    }
}
