package io.edgefleet.gateway.commands;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the gateway's queued commands may start now: one lane per node. Commands of different nodes run side by
 * side, at most {@code maxRunning} at once; a command starts only when no earlier command still queued or running
 * touches the same node, so one node's commands keep their arrival order (a delete never overtakes its create). A
 * command for a whole cluster (a cleanup, no node) waits for every earlier command of that cluster and holds every
 * later one; one without a cluster holds everything. No I/O and not thread-safe: the {@link CommandExecutor} calls it
 * under its own lock.
 */
final class CommandLanes {

    /** What a command touches: one node, or a whole cluster when {@code nodeId} is null (everything when both are). */
    record Lane(String clusterId, String nodeId) {

        boolean overlaps(Lane other) {
            if (clusterId == null || other.clusterId == null) {
                return true;
            }
            if (!clusterId.equals(other.clusterId)) {
                return false;
            }
            return nodeId == null || other.nodeId == null || nodeId.equals(other.nodeId);
        }
    }

    private record Entry(Lane lane, boolean running) {}

    private final int maxRunning;
    /** Queued and running commands in arrival order. */
    private final Map<String, Entry> commands = new LinkedHashMap<>();

    private int running;

    CommandLanes(int maxRunning) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("at least one command must be able to run, not " + maxRunning);
        }
        this.maxRunning = maxRunning;
    }

    /** Queues a command behind every one that arrived before it; a command queued already is left where it is. */
    void add(String commandId, Lane lane) {
        commands.putIfAbsent(commandId, new Entry(Objects.requireNonNull(lane, "lane"), false));
    }

    /** The commands that may start now, oldest first; they count as running until {@link #done}. */
    List<String> startable() {
        List<String> start = new ArrayList<>();
        List<Lane> before = new ArrayList<>(); // lanes of the earlier commands, queued or running
        for (Map.Entry<String, Entry> e : commands.entrySet()) {
            Entry entry = e.getValue();
            if (!entry.running() && running < maxRunning && before.stream().noneMatch(entry.lane()::overlaps)) {
                e.setValue(new Entry(entry.lane(), true));
                running++;
                start.add(e.getKey());
            }
            before.add(entry.lane());
        }
        return start;
    }

    /** A started command ended: its lane is free for the next command of its node. */
    void done(String commandId) {
        Entry entry = commands.remove(commandId);
        if (entry != null && entry.running()) {
            running--;
        }
    }

    /** Drops the commands that have not started (on stop: they stay recorded and resume on the next start). */
    void dropQueued() {
        for (Iterator<Entry> it = commands.values().iterator(); it.hasNext(); ) {
            if (!it.next().running()) {
                it.remove();
            }
        }
    }

    int queued() {
        return commands.size() - running;
    }

    int running() {
        return running;
    }
}
