package io.edgefleet.cluster.rest;

import io.edgefleet.cluster.config.ClusterConfig;
import io.edgefleet.kit.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The progress streams open on this instance, per user: at most {@code cluster.streams-per-user} each (every stream
 * polls the database until it ends). A stream holds its place from the request until it ends, however it ends.
 */
@ApplicationScoped
public class ProgressStreams {

    @Inject
    ClusterConfig config;

    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /** Takes a place for the user's new stream; {@link #close} gives it back. */
    void open(String user) {
        int max = config.streamsPerUser();
        boolean[] taken = {false};
        open.compute(user, (u, n) -> {
            int now = n == null ? 0 : n;
            if (now >= max) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            throw new ProblemException(
                    429,
                    "urn:edgefleet:problem:too-many-streams",
                    "Too many requests",
                    "you have " + max + " progress streams open, the most one user may (cluster.streams-per-user): "
                            + "close one first",
                    List.of());
        }
    }

    void close(String user) {
        open.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    }

    /** Streams the user has open now. */
    int openBy(String user) {
        return open.getOrDefault(user, 0);
    }
}
