package io.edgefleet.fleetsim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the simulated appliances held each command: the instant a node command or policy task arrived (its MQTT message
 * handed to the appliance) and the instant its result was published (handed to its MQTT client). A benchmark
 * subtracts this from the control plane's own time for the command, so that what is left is the control plane's.
 * Only a command's first arrival counts (a repeat, answered from the recorded result, is not one more command).
 * Off unless a fleet is given one ({@link Fleet#recordCommandTimes}): one small record per command, none per heartbeat.
 */
public final class CommandTimes {

    /** One command as the appliance {@code uid} held it. */
    public record Held(String uid, String type, Instant received, Instant answered) {

        public Duration duration() {
            return Duration.between(received, answered);
        }
    }

    private final Map<String, Held> byCommandId = new ConcurrentHashMap<>();

    void answered(String commandId, Held held) {
        byCommandId.putIfAbsent(commandId, held);
    }

    /** The command's times; null when no appliance has answered it yet. */
    public Held of(String commandId) {
        return byCommandId.get(commandId);
    }

    /** How many commands were answered. */
    public int size() {
        return byCommandId.size();
    }
}
