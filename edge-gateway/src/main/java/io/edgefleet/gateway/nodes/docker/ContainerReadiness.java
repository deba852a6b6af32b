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
 * Whether a started node container is ready: the engine reports its health check ({@link NodeHealth}) {@code healthy}.
 * {@link #judge} decides from one inspection (no I/O); {@link #await} inspects until ready, stopped or timed out.
 */
final class ContainerReadiness {

    /** Log lines a readiness failure quotes. */
    static final int LOG_LINES = 20;

    private static final Duration POLL = Duration.ofSeconds(1);
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
        String output = newest.getOutput() == null ? "" : newest.getOutput().strip();
        if (output.length() > OUTPUT_CHARS) {
            output = output.substring(0, OUTPUT_CHARS) + "...";
        }
        return " (last check exited " + newest.getExitCodeLong()
                + (output.isEmpty() ? ", no output)" : ": " + output + ")");
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
     * @param logLines the container log's last lines, read only when it fails
     * @return the last inspection (ready)
     */
    static InspectContainerResponse await(
            String name,
            Inspection inspect,
            Duration timeout,
            Consumer<String> progress,
            IntFunction<List<String>> logLines)
            throws NodeDriverException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextProgress = start;
        Seen seen;
        while (true) {
            InspectContainerResponse c = inspect.get();
            seen = look(c);
            long now = System.nanoTime();
            if (seen.verdict() == Verdict.READY) {
                return c;
            }
            if (seen.verdict() == Verdict.GONE || seen.verdict() == Verdict.NOT_RUNNING || now >= deadline) {
                break;
            }
            if (now >= nextProgress) {
                progress.accept("booting: " + seen.reason() + ", waited " + TimeUnit.NANOSECONDS.toSeconds(now - start)
                        + " s of " + timeout.toSeconds() + " s");
                nextProgress = now + PROGRESS_EVERY.toNanos();
            }
            try {
                Thread.sleep(POLL.toMillis()); // the engine's health check runs at its interval: polled, not notified
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
}
