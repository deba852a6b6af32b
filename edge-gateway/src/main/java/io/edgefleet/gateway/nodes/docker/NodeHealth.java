package io.edgefleet.gateway.nodes.docker;

import com.github.dockerjava.api.model.HealthCheck;

import java.time.Duration;
import java.util.List;

/**
 * How a node container shows it is ready: Docker's own health check, set on the container when it is created. The
 * engine runs {@link #command} inside the node every {@link #interval}; the node counts as ready once the engine reports
 * it {@code healthy} ({@link ContainerReadiness}). The state lives in the engine, so a restarted gateway learns it again
 * by inspecting the container.
 *
 * @param command      Docker's test form: {@code ["CMD-SHELL", "..."]} or {@code ["CMD", "exe", "arg"...]}
 * @param interval     between two of the engine's checks (also while the node boots: the engine of API 1.41 has no
 *                     start interval, so the gateway runs the check itself until it first passes, see
 *                     {@link ContainerReadiness})
 * @param readyTimeout how long {@link DockerNodeDriver#awaitReady} waits for {@code healthy} before it fails the task
 */
public record NodeHealth(List<String> command, Duration interval, Duration readyTimeout) {

    /**
     * The node image's init is up once it started its services: busybox init respawns the node's HTTP server on 8080
     * (deploy/local/node-image/mk-node-image.sh). The bootstrap files are copied in before the start, so a started
     * init has them. A Kubernetes node image would check its kubelet instead (e.g. {@code curl -sf
     * http://127.0.0.1:10248/healthz}).
     */
    public static final List<String> NODE_IMAGE_CHECK = List.of("CMD-SHELL", "netstat -ltn | grep -q ':8080 '");

    /** A check that hangs is cut after this: it counts as failed. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Docker's form of "no check" (it also turns off a {@code HEALTHCHECK} the image declares): the node is ready once
     * it runs, for a node image with no way to tell more.
     */
    public static final List<String> NO_CHECK = List.of("NONE");

    public NodeHealth {
        command = command == null || command.isEmpty() ? NODE_IMAGE_CHECK : List.copyOf(command);
        if (!command.equals(NO_CHECK)
                && (!List.of("CMD", "CMD-SHELL").contains(command.get(0)) || command.size() < 2)) {
            throw new IllegalArgumentException("health check command must be [\"CMD-SHELL\", \"<shell command>\"],"
                    + " [\"CMD\", \"<program>\", ...] or [\"NONE\"]");
        }
        interval = interval == null ? Duration.ofSeconds(3) : interval;
        readyTimeout = readyTimeout == null ? Duration.ofMinutes(5) : readyTimeout;
        if (interval.toMillis() < 1 || readyTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "health check interval must be at least 1 ms, readyTimeout not negative");
        }
    }

    /**
     * The check as a command to run in the node now (Docker's {@code CMD-SHELL} runs {@code /bin/sh -c}); null for
     * {@link #NO_CHECK}.
     */
    List<String> execForm() {
        return switch (command.get(0)) {
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", command.get(1));
            case "CMD" -> command.subList(1, command.size());
            default -> null;
        };
    }

    /** The node image's check, every 3 s, ready within 5 minutes. */
    public static NodeHealth defaults() {
        return new NodeHealth(null, null, null);
    }

    /**
     * The gateway's hand-added key {@code docker.ready-check}: absent, the node image's check; {@code none}, no check
     * (ready once running); otherwise a shell command run in the node ({@code CMD-SHELL}), e.g. a Kubernetes node
     * image's {@code curl -sf http://127.0.0.1:10248/healthz}.
     */
    public static NodeHealth forSetting(String readyCheck) {
        if (readyCheck == null || readyCheck.isBlank()) {
            return defaults();
        }
        if (readyCheck.strip().equalsIgnoreCase("none")) {
            return new NodeHealth(NO_CHECK, null, null);
        }
        return new NodeHealth(List.of("CMD-SHELL", readyCheck.strip()), null, null);
    }

    /**
     * Docker's form. Failures while the node boots (the start period, as long as the ready timeout) do not make it
     * {@code unhealthy}: a slow boot is reported as {@code starting} until the timeout decides.
     */
    HealthCheck toDocker() {
        if (command.equals(NO_CHECK)) {
            return new HealthCheck().withTest(NO_CHECK);
        }
        return new HealthCheck()
                .withTest(command)
                .withInterval(interval.toNanos())
                .withTimeout(Math.min(
                        CHECK_TIMEOUT.toNanos(),
                        Math.max(interval.toNanos(), Duration.ofSeconds(1).toNanos())))
                .withStartPeriod(readyTimeout.toNanos())
                .withRetries(3);
    }
}
