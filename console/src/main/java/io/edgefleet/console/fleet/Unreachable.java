package io.edgefleet.console.fleet;

import io.edgefleet.sdk.model.ApplianceStatus;
import io.edgefleet.sdk.model.ApplianceView;

/**
 * Why an appliance is UNREACHABLE, in the pages' words, from appliance-service's {@code unreachableReason} and
 * {@code unreachableSince}: LINK_LOST (the broker saw its gateway's connection end and it did not come back within
 * the will delay) is "link lost at" when the connection dropped, HEARTBEATS_MISSED (its gateway stopped reporting)
 * "heartbeats missed since" its last report. Nothing for an appliance that is not UNREACHABLE, nor for one that
 * turned UNREACHABLE before the service kept reasons (both fields null): its status alone is shown, as before.
 */
public final class Unreachable {

    private Unreachable() {}

    /** "link lost" or "heartbeats missed"; null when there is nothing to say. */
    public static String reason(ApplianceView appliance) {
        if (appliance.getStatus() != ApplianceStatus.UNREACHABLE || appliance.getUnreachableReason() == null) {
            return null;
        }
        return switch (appliance.getUnreachableReason()) {
            case LINK_LOST -> "link lost";
            case HEARTBEATS_MISSED -> "heartbeats missed";
        };
    }

    /**
     * "link lost at 2026-12-07T17:02:13Z", "heartbeats missed since 2026-12-07T17:02:13Z" (the time as the pages show
     * every other time), the reason alone when the service gave no time; null when there is nothing to say.
     */
    public static String why(ApplianceView appliance) {
        String reason = reason(appliance);
        if (reason == null || appliance.getUnreachableSince() == null) {
            return reason;
        }
        String word = switch (appliance.getUnreachableReason()) {
            case LINK_LOST -> " at ";
            case HEARTBEATS_MISSED -> " since ";
        };
        return reason + word + appliance.getUnreachableSince();
    }
}
